"""An org of the mock and the ways a test talks to it (shared by the fixtures and intercept)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import requests

from .control_client import ControlClient, OrgControl

DEFAULT_ORG: dict[str, Any] = {
    "name": "Test Org",
    "users": [
        {
            "username": "admin@test.org",
            "first_name": "Ada",
            "last_name": "Admin",
            "alias": "admin",
            "profile": "System Administrator",
            "password": "admin-pass-1",
            "security_token": "ADMINTOK",
        },
        {
            "username": "user@test.org",
            "first_name": "Uma",
            "last_name": "User",
            "alias": "user",
            "profile": "Standard User",
            "password": "user-pass-1",
            "security_token": "USERTOK",
        },
    ],
    "connected_apps": [
        {
            "name": "Test App",
            "callback_urls": ["http://localhost:8080/callback"],
            "client_credentials_user": "admin@test.org",
        },
    ],
}


def default_org(**settings: Any) -> dict[str, Any]:
    """A copy of the default org's seed, with extra org ``settings``."""
    spec = copy.deepcopy(DEFAULT_ORG)
    if settings:
        spec["settings"] = settings
    return spec


@dataclass
class OrgHandle:
    """A fresh org of the mock, and the ways a test talks to it."""

    id: str
    base_url: str
    control: OrgControl
    users: dict[str, str]
    apps: list[dict[str, str]]
    verify: bool | str = True
    _sessions: list[requests.Session] = field(default_factory=list)

    @property
    def instance_url(self) -> str:
        """Where the org's API answers (its My Domain under intercept, else the server)."""
        return self.base_url

    def token(self, user: str) -> str:
        """An access token for ``user`` (username, alias or id), without an OAuth dance."""
        return str(self.control.session_for(user)["access_token"])

    def api(self, user: str, version: str = "59.0") -> ApiSession:
        """A ``requests.Session`` authenticated as ``user``, rooted at the REST base URL."""
        session = ApiSession(f"{self.base_url}/services/data/v{version}", self.token(user))
        session.verify = self.verify
        self._sessions.append(session)
        return session

    @property
    def app(self) -> dict[str, str]:
        return self.apps[0]

    def close(self) -> None:
        for session in self._sessions:
            session.close()


class ApiSession(requests.Session):
    """A session whose relative paths are resolved against the REST base URL.

    It ignores proxy and CA environment variables (``trust_env`` off): the mock is on loopback
    or in process, and an ``HTTP_PROXY`` without ``NO_PROXY`` would send it elsewhere.
    """

    def __init__(self, base: str, token: str) -> None:
        super().__init__()
        self.trust_env = False
        self.base = base
        self.headers["Authorization"] = f"Bearer {token}"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith("/") and not text.startswith("/services"):
            text = self.base + text
        elif text.startswith("/services"):
            text = self.base.split("/services", 1)[0] + text
        kwargs.setdefault("timeout", 30)
        return super().request(method, text, *args, **kwargs)


def new_org(
    control: ControlClient,
    base_url: str,
    spec: dict[str, Any] | None = None,
    verify: bool | str = True,
) -> OrgHandle:
    """Seed one org (the default org unless ``spec``) and return its handle."""
    created = control.seed({"orgs": [spec or DEFAULT_ORG]})[0]
    return handle_for(control, created, base_url, verify)


def handle_for(
    control: ControlClient, created: dict[str, Any], base_url: str, verify: bool | str = True
) -> OrgHandle:
    """The handle of an org the control plane just created (seeded or cloned)."""
    return OrgHandle(
        created["id"],
        str(created.get("instance_url") or base_url).rstrip("/"),
        control.org(created["id"]),
        created["users"],
        created["connected_apps"],
        verify,
    )
