"""REST data API on a connection's own instance_url (REST API Developer Guide, v59.0)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import orjson
import requests

from integration.domain.preflight import FieldAccess, ObjectAccess
from integration.salesforce.errors import (
    InvalidSession,
    Retryable,
    SalesforceError,
    raise_for_rest,
    rest_error,
)
from integration.salesforce.types import ApiSession, ApiUsage, Record, UpsertResult

DEFAULT_API_VERSION = "59.0"
LIMIT_HEADER = "Sforce-Limit-Info"
AUTO_ASSIGN_HEADER = "Sforce-Auto-Assign"
COMPOSITE_LIMIT = 25


class SalesforceRest:
    def __init__(
        self,
        http: requests.Session,
        api_version: str = DEFAULT_API_VERSION,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.http = http
        self.api_version = api_version.removeprefix("v")
        self.timeout_seconds = timeout_seconds
        self._usage: dict[str, ApiUsage] = {}
        self._usage_lock = threading.Lock()

    def api_usage(self, instance_url: str) -> ApiUsage | None:
        """The last `Sforce-Limit-Info: api-usage=used/max` seen on that instance."""
        with self._usage_lock:
            return self._usage.get(instance_url.rstrip("/"))

    def describe(self, session: ApiSession, sobject: str) -> ObjectAccess:
        return object_access(self._call(session, "GET", describe_path(sobject)).json(), sobject)

    def composite_get(
        self, session: ApiSession, paths: Mapping[str, str]
    ) -> dict[str, Any | SalesforceError]:
        """GET several resources in one ``POST /composite`` (REST API Developer Guide,
        "Composite": up to 25 subrequests, at most 5 of them queries; the whole call counts
        as one API call). ``paths`` maps a referenceId to a path under
        ``/services/data/vXX.X``; the answer maps it to the body, or to the typed error of a
        subrequest refused for a reason of its own (permission, not found). An error that
        says nothing about that subrequest (lock, 5xx, limit, expired session) is raised, as
        the call alone would have raised it; a query's further pages are read as by `query`.
        """
        if len(paths) > COMPOSITE_LIMIT:
            raise ValueError(f"a composite call holds at most {COMPOSITE_LIMIT} subrequests")
        prefix = f"/services/data/v{self.api_version}"
        request = {
            "allOrNone": False,
            "compositeRequest": [
                {"method": "GET", "url": prefix + path, "referenceId": ref}
                for ref, path in paths.items()
            ],
        }
        # The answer holds every describe of the preflight (about 130 KB): orjson reads it in a
        # fifth of the time ``json`` takes.
        body = orjson.loads(self._call(session, "POST", "/composite", json=request).content)
        answers: dict[str, Any | SalesforceError] = {}
        for sub in body.get("compositeResponse", []):
            ref, status, answer = (
                str(sub.get("referenceId")),
                int(sub.get("httpStatusCode", 500)),
                sub.get("body"),
            )
            if status >= 300:
                error = rest_error(status, answer)
                if error.retryable or isinstance(error, InvalidSession):
                    raise error
                answers[ref] = error
            elif isinstance(answer, dict) and "records" in answer:
                answers[ref] = {**answer, "records": self._all_records(session, answer)}
            else:
                answers[ref] = answer
        missing = sorted(set(paths) - set(answers))
        if missing:
            raise Retryable("UNKNOWN_ERROR", f"the composite answer leaves out {missing}")
        return answers

    def create(
        self, session: ApiSession, sobject: str, fields: Record, auto_assign: bool | None = None
    ) -> str:
        response = self._call(
            session, "POST", f"/sobjects/{sobject}", json=fields, headers=_assign(auto_assign)
        )
        return str(response.json()["id"])

    def get(
        self, session: ApiSession, sobject: str, record_id: str, fields: list[str] | None = None
    ) -> Record:
        params = {"fields": ",".join(fields)} if fields else None
        response = self._call(session, "GET", f"/sobjects/{sobject}/{record_id}", params=params)
        record: Record = response.json()
        return record

    def update(
        self,
        session: ApiSession,
        sobject: str,
        record_id: str,
        fields: Record,
        auto_assign: bool | None = None,
    ) -> None:
        self._call(
            session,
            "PATCH",
            f"/sobjects/{sobject}/{record_id}",
            json=fields,
            headers=_assign(auto_assign),
        )

    def upsert(
        self,
        session: ApiSession,
        sobject: str,
        external_id_field: str,
        external_id: str,
        fields: Record,
        auto_assign: bool | None = None,
    ) -> UpsertResult:
        """PATCH /sobjects/{Obj}/{ExtField}/{value}: 201 created, 200 updated, 300 several."""
        path = f"/sobjects/{sobject}/{external_id_field}/{quote(external_id, safe='')}"
        body = {name: value for name, value in fields.items() if name != external_id_field}
        response = self._call(session, "PATCH", path, json=body, headers=_assign(auto_assign))
        created = response.status_code == 201
        if response.status_code == 204 or not response.content:
            # API < 46.0 answers an update with 204 and no body; read the id back.
            record = self.get(
                session, sobject, f"{external_id_field}/{quote(external_id, safe='')}", ["Id"]
            )
            return UpsertResult(str(record["Id"]), created)
        answer = response.json()
        return UpsertResult(str(answer["id"]), bool(answer.get("created", created)))

    def query(self, session: ApiSession, soql: str) -> list[Record]:
        """Run SOQL and follow `nextRecordsUrl` until `done`."""
        body = self._call(session, "GET", "/query", params={"q": soql}).json()
        return self._all_records(session, body)

    def _all_records(self, session: ApiSession, body: dict[str, Any]) -> list[Record]:
        """A query answer's records and those of the pages after it."""
        records: list[Record] = list(body.get("records", []))
        while not body.get("done", True) and body.get("nextRecordsUrl"):
            body = self._call_url(session, "GET", session.instance_url + body["nextRecordsUrl"])
            records.extend(body.get("records", []))
        return records

    def _call(
        self, session: ApiSession, method: str, path: str, **kwargs: Any
    ) -> requests.Response:
        url = f"{session.instance_url.rstrip('/')}/services/data/v{self.api_version}{path}"
        return self._send(session, method, url, **kwargs)

    def _call_url(self, session: ApiSession, method: str, url: str) -> dict[str, Any]:
        body: dict[str, Any] = self._send(session, method, url).json()
        return body

    def _send(
        self,
        session: ApiSession,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        all_headers = {
            "Authorization": f"Bearer {session.access_token}",
            "Accept": "application/json",
            **(headers or {}),
        }
        try:
            response = self.http.request(
                method, url, headers=all_headers, timeout=self.timeout_seconds, **kwargs
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Retryable("TIMEOUT", f"{type(exc).__name__}: {exc}") from exc
        self._remember_usage(session.instance_url, response.headers.get(LIMIT_HEADER))
        raise_for_rest(response)
        return response

    def _remember_usage(self, instance_url: str, header: str | None) -> None:
        usage = parse_limit_info(header)
        if usage is not None:
            with self._usage_lock:
                self._usage[instance_url.rstrip("/")] = usage


def describe_path(sobject: str) -> str:
    return f"/sobjects/{sobject}/describe"


def query_path(soql: str) -> str:
    return "/query?q=" + quote(soql, safe="")


def object_access(body: dict[str, Any], sobject: str) -> ObjectAccess:
    """What a describe answer (made as the acting user) says that user may do."""
    fields = {
        str(f["name"]): FieldAccess(
            name=str(f["name"]),
            updateable=bool(f.get("updateable")),
            createable=bool(f.get("createable")),
            external_id=bool(f.get("externalId")),
        )
        for f in body.get("fields", [])
    }
    return ObjectAccess(
        name=str(body.get("name", sobject)),
        readable=bool(body.get("queryable", body.get("retrieveable", True))),
        createable=bool(body.get("createable")),
        updateable=bool(body.get("updateable")),
        fields=fields,
    )


def parse_limit_info(header: str | None) -> ApiUsage | None:
    """`api-usage=18/5000[, per-app-api-usage=...]` -> ApiUsage(18, 5000)."""
    if not header:
        return None
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "api-usage" and "/" in value:
            used, _, limit = value.partition("/")
            if used.isdigit() and limit.isdigit():
                return ApiUsage(int(used), int(limit))
    return None


def _assign(auto_assign: bool | None) -> dict[str, str]:
    if auto_assign is None:
        return {}
    return {AUTO_ASSIGN_HEADER: "TRUE" if auto_assign else "FALSE"}


def soql_quote(value: str) -> str:
    """A SOQL string literal with backslash and quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
