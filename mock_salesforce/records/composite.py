"""``POST /composite``: up to 25 subrequests in one call, chained by ``@{referenceId.path}``.

Subrequests run in order through the same resource functions as the REST views. A reference
to a subrequest that failed (or to a value it does not have) halts the dependent subrequest
with PROCESSING_HALTED; with ``allOrNone`` the first failure rolls every subrequest back and
each other one reports PROCESSING_HALTED. The top-level status is always 200 (REST API
Developer Guide, "Composite").

Other resources can join (the SOQL ``/query`` resource does) with ``register``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import errors
from ..pipeline.sessions import Session
from ..versions import served
from . import resources as r
from .context import Caller, parse_flag

MAX_SUBREQUESTS = 25
_REFERENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)((?:\.[^}.\[\]]+|\[\d+\])+)\}")
_INHERITED_HEADERS = ("authorization", "accept", "content-type")
_ROLLED_BACK = (
    "The transaction was rolled back since another operation in the same transaction failed."
)

Handler = Callable[[r.Call], r.Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


_SOBJECT = r"sobjects/(?P<sobject>[^/]+)"
ROUTES: list[Route] = []


def register(method: str, pattern: str, handler: Handler, first: bool = False) -> None:
    """Serve ``method`` on the path ``pattern`` (after ``/services/data/vNN.0/``)."""
    route = Route(method.upper(), re.compile(f"^{pattern}$"), handler)
    if first:
        ROUTES.insert(0, route)
    else:
        ROUTES.append(route)


for _method, _pattern, _handler in (
    ("GET", "sobjects", r.describe_global_reply),
    ("GET", _SOBJECT, r.sobject_reply),
    ("POST", _SOBJECT, r.create_reply),
    ("GET", f"{_SOBJECT}/describe", r.describe_reply),
    ("GET", f"{_SOBJECT}/updated", r.updated_reply),
    ("GET", f"{_SOBJECT}/deleted", r.deleted_reply),
    ("GET", f"{_SOBJECT}/(?P<record_id>[^/]+)", r.retrieve_reply),
    ("PATCH", f"{_SOBJECT}/(?P<record_id>[^/]+)", r.update_reply),
    ("DELETE", f"{_SOBJECT}/(?P<record_id>[^/]+)", r.delete_reply),
    ("GET", f"{_SOBJECT}/(?P<field>[^/]+)/(?P<value>[^/]+)", r.retrieve_by_external_id_reply),
    ("PATCH", f"{_SOBJECT}/(?P<field>[^/]+)/(?P<value>[^/]+)", r.upsert_reply),
    ("DELETE", f"{_SOBJECT}/(?P<field>[^/]+)/(?P<value>[^/]+)", r.delete_by_external_id_reply),
    ("POST", "composite/sobjects", r.create_many_reply),
    ("PATCH", "composite/sobjects", r.update_many_reply),
    ("DELETE", "composite/sobjects", r.delete_many_reply),
    ("PATCH", "composite/sobjects/(?P<sobject>[^/]+)/(?P<field>[^/]+)", r.upsert_many_reply),
    ("GET", "composite/sobjects/(?P<sobject>[^/]+)", r.retrieve_many_reply),
    ("POST", "composite/sobjects/(?P<sobject>[^/]+)", r.retrieve_many_reply),
):
    register(_method, _pattern, _handler)


def _query_not_available(call: r.Call) -> r.Reply:
    raise errors.NotFound(
        "Query locators (/query/<locator>) are not supported in composite subrequests yet"
    )


# `rest/query.py` registers `/query` and `/queryAll` themselves in front of this one.
register("GET", "query(All)?(/.*)?", _query_not_available)


@dataclass
class Subrequest:
    method: str
    url: str
    reference_id: str
    body: Any
    headers: dict[str, str]


def parse_request(body: Any) -> tuple[list[Subrequest], bool]:
    """The composite request, checked as a whole (a bad one is a 400 for the whole call)."""
    items = body.get("compositeRequest") if isinstance(body, Mapping) else None
    if not isinstance(items, list) or not items:
        raise errors.InvalidInput("The request must contain a compositeRequest array")
    if len(items) > MAX_SUBREQUESTS:
        raise errors.InvalidInput(
            f"Limit of {MAX_SUBREQUESTS} subrequests exceeded: {len(items)} subrequests"
        )
    subrequests = [_subrequest(item) for item in items]
    seen = [s.reference_id for s in subrequests]
    duplicated = next((ref for ref in seen if seen.count(ref) > 1), None)
    if duplicated:
        raise errors.InvalidInput(f"Duplicate referenceId provided in the request: {duplicated}")
    return subrequests, parse_flag(body.get("allOrNone"), "allOrNone")


def _subrequest(item: Any) -> Subrequest:
    if not isinstance(item, Mapping):
        raise errors.JsonParserError("Cannot deserialize instance of CompositeSubrequest")
    method, url, ref = item.get("method"), item.get("url"), item.get("referenceId")
    if not isinstance(method, str) or not isinstance(url, str) or not isinstance(ref, str):
        raise errors.InvalidInput("Each subrequest needs method, url and referenceId")
    if not _REFERENCE_ID.match(ref):
        raise errors.InvalidInput(
            f"Provided referenceId ('{ref}') must start with a letter or a number, and it can "
            "contain only letters, numbers and underscores ('_')."
        )
    raw_headers = item.get("httpHeaders") or {}
    if not isinstance(raw_headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw_headers.items()
    ):
        raise errors.InvalidInput("httpHeaders must be an object of header names to strings")
    headers = dict(raw_headers)
    inherited = [h for h in headers if h.lower() in _INHERITED_HEADERS]
    if inherited:
        raise errors.InvalidInput(
            f"The {inherited[0]} header is inherited from the composite request and can't be "
            "specified in a subrequest"
        )
    return Subrequest(method.upper(), url, ref, item.get("body"), headers)


class _Halt(Exception):
    """The first failure of an allOrNone composite request."""


def run(session: Session, body: Any, auto_assign: bool = True) -> dict[str, Any]:
    """Execute a composite request; returns ``{"compositeResponse": [...]}``."""
    subrequests, all_or_none = parse_request(body)
    outcomes: dict[str, Any] = {}
    responses: list[dict[str, Any]] = []
    try:
        with session.org.transaction():
            for sub in subrequests:
                response = _execute(session, sub, outcomes, auto_assign)
                responses.append(response)
                if all_or_none and response["httpStatusCode"] >= 400:
                    raise _Halt()
    except _Halt:
        failed = len(responses) - 1
        halted = [_halted(sub, _ROLLED_BACK) for sub in subrequests]
        halted[failed] = responses[failed]
        responses = halted
    return {"compositeResponse": responses}


def _halted(sub: Subrequest, message: str) -> dict[str, Any]:
    error = errors.ProcessingHalted(message)
    return _response(sub, r.Reply(error.http_status, [error.to_json()]))


def _response(sub: Subrequest, reply: r.Reply) -> dict[str, Any]:
    return {
        "body": reply.body,
        "httpHeaders": reply.headers,
        "httpStatusCode": reply.status,
        "referenceId": sub.reference_id,
    }


def _execute(
    session: Session, sub: Subrequest, outcomes: dict[str, Any], auto_assign: bool
) -> dict[str, Any]:
    try:
        url = resolve(sub.url, outcomes, in_url=True)
        body = resolve(sub.body, outcomes)
    except _Unresolved as missing:
        return _halted(sub, missing.message)
    header = next((v for k, v in sub.headers.items() if k.lower() == "sforce-auto-assign"), None)
    assign = auto_assign if header is None else str(header).lower() != "false"
    try:
        with session.org.transaction():
            reply = dispatch(session, sub.method, url, body, sub.headers, assign)
    except errors.SalesforceError as exc:
        reply = r.Reply(exc.http_status, [exc.to_json()])
    if reply.status < 400:
        outcomes[sub.reference_id] = reply.body
    return _response(sub, reply)


def dispatch(
    session: Session,
    method: str,
    url: str,
    body: Any,
    headers: Mapping[str, str],
    auto_assign: bool = True,
) -> r.Reply:
    """Serve one subrequest URL (``/services/data/vNN.0/...``) with the resource functions."""
    parts = urlsplit(url)
    match = re.match(r"^/services/data/v(\d+)\.0/(.*?)/?$", parts.path)
    if not match or not served(int(match.group(1))):
        raise errors.NotFound()
    version, path = f"{match.group(1)}.0", match.group(2)
    allowed = []
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method != method:
            allowed.append(route.method)
            continue
        caller = Caller(session, version, auto_assign)
        args = {k: unquote(v) for k, v in found.groupdict().items()}
        call = r.Call(caller, args, dict(parse_qsl(parts.query)), body, headers)
        return route.handler(call)
    if allowed:
        raise errors.MethodNotAllowed(
            f"HTTP Method '{method}' not allowed. Allowed are {','.join(sorted(set(allowed)))}"
        )
    raise errors.NotFound()


class _Unresolved(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def resolve(value: Any, outcomes: Mapping[str, Any], in_url: bool = False) -> Any:
    """``value`` with every ``@{ref.path}`` replaced by what subrequest ``ref`` returned."""
    if isinstance(value, Mapping):
        return {k: resolve(v, outcomes) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, outcomes) for v in value]
    if not isinstance(value, str) or "@{" not in value:
        return value
    whole = _REFERENCE.fullmatch(value)
    if whole and not in_url:
        return _lookup(outcomes, whole.group(1), whole.group(2))
    return _REFERENCE.sub(lambda m: str(_lookup(outcomes, m.group(1), m.group(2))), value)


def _lookup(outcomes: Mapping[str, Any], ref: str, path: str) -> Any:
    """Walk ``.name`` and ``[n]`` steps from subrequest ``ref``'s body."""
    missing = _Unresolved(
        f"Invalid reference specified. No value for {ref}{path} found in {ref}. Provided "
        f"referenceId ('{ref}') must start with a letter or a number, and it can contain only "
        "letters, numbers and underscores ('_')."
    )
    if ref not in outcomes:
        raise missing
    current = outcomes[ref]
    for step in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path):
        name, index = step
        if name and isinstance(current, Mapping) and name in current:
            current = current[name]
        elif index and isinstance(current, list) and int(index) < len(current):
            current = current[int(index)]
        else:
            raise missing
    return current
