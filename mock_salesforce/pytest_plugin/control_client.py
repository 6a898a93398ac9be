"""A Python client for the control plane, for tests and scripts (ours and other projects')."""

from __future__ import annotations

import os
from typing import Any

import requests

from ..pipeline.guards import CONTROL_TOKEN_ENV, CONTROL_TOKEN_HEADER
from .loopback import Loopback, decode_json, encode_json, encode_query


class ControlPlaneError(AssertionError):
    """The control plane refused a call; the message says why."""


def _direct_session() -> requests.Session:
    """A session that ignores ``HTTP_PROXY`` and friends: the control plane is on loopback (or
    in process), never behind the user's proxy."""
    session = requests.Session()
    session.trust_env = False
    return session


class ControlClient:
    """``/_mock`` over HTTP (or the in-process transport, given such a session).

    Without a session, calls to a plain ``http://`` URL go on kept-alive connections of the
    client's own (``loopback.py``: about half the time of a ``requests`` call); with one, or
    for ``https://``, through ``requests``.
    """

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        token: str | None = None,
    ) -> None:
        """``token``: the server's control token (default: ``MOCK_SALESFORCE_CONTROL_TOKEN``),
        sent as ``X-Mock-Control-Token`` on every call."""
        self.base_url = base_url.rstrip("/")
        self.http = session or _direct_session()
        self.token = token if token is not None else os.environ.get(CONTROL_TOKEN_ENV)
        plain = session is None and self.base_url.startswith("http://")
        self._loopback = Loopback(self.base_url) if plain else None

    def close(self) -> None:
        """Close the client's connections (also done when it is garbage-collected)."""
        if self._loopback is not None:
            self._loopback.close()
        self.http.close()

    def call(self, method: str, path: str, json: Any = None, /, **params: Any) -> Any:
        """``method`` on ``/_mock{path}``; ``params`` go in the query string (any name, the
        journal's ``method`` and ``path`` filters included)."""
        body = encode_json(json) if json is not None and self._loopback is not None else None
        if self._loopback is not None and self._loopback.says_the_same(path, body):
            return self._call_loopback(method, path, body, params)
        headers = {CONTROL_TOKEN_HEADER: self.token} if self.token else None
        response = self.http.request(
            method,
            f"{self.base_url}/_mock{path}",
            json=json,
            params=params or None,
            headers=headers,
            timeout=30,
        )
        if response.status_code >= 400:
            raise ControlPlaneError(
                f"{method} /_mock{path} -> {response.status_code}: {response.text}"
            )
        return response.json() if response.content else None

    def _call_loopback(
        self, method: str, path: str, body: bytes | None, params: dict[str, Any]
    ) -> Any:
        assert self._loopback is not None
        headers = {"Accept": "application/json"}
        if self.token:
            headers[CONTROL_TOKEN_HEADER] = self.token
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, data = self._loopback.request(
            method, f"/_mock{path}", encode_query(params), body, headers, timeout=30
        )
        if status >= 400:
            text = data.decode("utf-8", "replace")
            raise ControlPlaneError(f"{method} /_mock{path} -> {status}: {text}")
        return decode_json(data) if data else None

    # orgs
    def create_org(self, name: str = "Test Org", **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/orgs", {"name": name, **spec})
        return result

    def seed(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("POST", "/seed", document)
        return result

    def clone_org(self, org_id: str, name: str | None = None) -> dict[str, Any]:
        """A new org copying ``org_id`` (ids moved, new app clients): a few milliseconds."""
        result: dict[str, Any] = self.call("POST", f"/orgs/{org_id}/clone", {"name": name})
        return result

    def delete_org(self, org_id: str) -> None:
        self.call("DELETE", f"/orgs/{org_id}")

    def org(self, org_id: str) -> OrgControl:
        return OrgControl(self, org_id)


class OrgControl:
    """The control plane of one org."""

    def __init__(self, client: ControlClient, org_id: str) -> None:
        self.client = client
        self.org_id = org_id

    def call(self, method: str, path: str, json: Any = None, /, **params: Any) -> Any:
        return self.client.call(method, f"/orgs/{self.org_id}{path}", json, **params)

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "")
        return result

    def settings(self, **values: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PATCH", "/settings", values)
        return result

    def create_user(self, username: str, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/users", {"username": username, **spec})
        return result

    def user(self, user: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", f"/users/{user}")
        return result

    def access(self, user: str, sobject: str) -> dict[str, Any]:
        """What ``user`` may do on ``sobject``: object flags and ``fields`` (edit/read/none)."""
        result: dict[str, Any] = self.call("GET", f"/users/{user}/access/{sobject}")
        return result

    def update_user(self, user: str, **change: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PATCH", f"/users/{user}", change)
        return result

    def session_for(self, user: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", f"/users/{user}/sessions", {})
        return result

    def create_profile(self, name: str, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/profiles", {"name": name, **spec})
        return result

    def update_profile(self, profile: str, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PATCH", f"/profiles/{profile}", spec)
        return result

    def create_permission_set(self, name: str, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/permission-sets", {"name": name, **spec})
        return result

    def add_field(self, sobject: str, name: str, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call(
            "POST", "/fields", {"object": sobject, "name": name, **spec}
        )
        return result

    def save_app(self, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/apps", spec)
        return result

    def seed_records(
        self, sobject: str, records: list[dict[str, Any]], as_user: str | None = None
    ) -> list[str]:
        result = self.call(
            "POST", "/records", {"object": sobject, "records": records, "as_user": as_user}
        )
        return list(result["ids"])

    def records(self, sobject: str, include_deleted: bool = True) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call(
            "GET", f"/records/{sobject}", include_deleted=str(include_deleted).lower()
        )
        return result

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/journal", **filters)
        return result

    def add_fault(self, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/faults", spec)
        return result

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    def set_clock(self, now: str, frozen: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/clock", {"now": now, "frozen": frozen})
        return result

    def advance_clock(self, **delta: float) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock/advance", delta)
        return result

    def snapshot(self, name: str) -> None:
        self.call("POST", "/snapshots", {"name": name})

    def restore(self, name: str) -> None:
        self.call("POST", f"/snapshots/{name}/restore")
