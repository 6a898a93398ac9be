"""``POST /composite``: up to 25 subrequests in one call, chained by ``@{referenceId.path}``.

Subrequests run in order through the same resource functions as the REST views. A reference
to a subrequest that failed (or to a value it does not have) halts the dependent subrequest
with PROCESSING_HALTED; with ``allOrNone`` the first failure rolls every subrequest back and
each other one reports PROCESSING_HALTED. The top-level status is always 200 (REST API
Developer Guide, "Composite").

Subrequest URLs are relative ``/services/data/vNN.0/...`` paths, matched by the caller's
``Router`` (the REST layer hands in the app's own URL map), so a resource declared once serves
both HTTP calls and subrequests. ``/composite/batch``, ``/tree`` and ``/graph`` reuse this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import errors
from ..pipeline.sessions import Session
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
# (method, path) -> the resource serving it and its URL arguments (``version`` included).
Router = Callable[[str, str], tuple[Handler, dict[str, str]]]
DATA_PREFIX = "/services/data/"


@dataclass(frozen=True)
class Runner:
    """Who runs the subrequests, how URLs are routed, and the Sforce-Auto-Assign default."""

    session: Session
    router: Router
    auto_assign: bool = True


def check_relative(url: str) -> None:
    """A subrequest URL is a relative ``/services/data/...`` path, never another host."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith(DATA_PREFIX):
        raise errors.InvalidInput(
            f"The url of a subrequest must be a relative path starting with {DATA_PREFIX}: {url}"
        )


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
    subrequests = parse_subrequests(items, MAX_SUBREQUESTS)
    return subrequests, parse_flag(body.get("allOrNone"), "allOrNone")


def parse_subrequests(items: Any, limit: int) -> list[Subrequest]:
    """A ``compositeRequest`` array: at most ``limit`` subrequests, referenceIds unique."""
    if not isinstance(items, list) or not items:
        raise errors.InvalidInput("The request must contain a compositeRequest array")
    if len(items) > limit:
        raise errors.InvalidInput(
            f"Limit of {limit} subrequests exceeded: {len(items)} subrequests"
        )
    subrequests = [_subrequest(item) for item in items]
    seen = [s.reference_id for s in subrequests]
    duplicated = next((ref for ref in seen if seen.count(ref) > 1), None)
    if duplicated:
        raise errors.InvalidInput(f"Duplicate referenceId provided in the request: {duplicated}")
    return subrequests


def _subrequest(item: Any) -> Subrequest:
    if not isinstance(item, Mapping):
        raise errors.JsonParserError("Cannot deserialize instance of CompositeSubrequest")
    method, url, ref = item.get("method"), item.get("url"), item.get("referenceId")
    if not isinstance(method, str) or not isinstance(url, str) or not isinstance(ref, str):
        raise errors.InvalidInput("Each subrequest needs method, url and referenceId")
    check_relative(url)
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


def run(runner: Runner, body: Any) -> dict[str, Any]:
    """Execute a composite request; returns ``{"compositeResponse": [...]}``."""
    subrequests, all_or_none = parse_request(body)
    return {"compositeResponse": run_chain(runner, subrequests, all_or_none)}


def run_chain(runner: Runner, subrequests: list[Subrequest], all_or_none: bool) -> list[Any]:
    """Subrequests in order, references resolved; with ``all_or_none`` the first failure rolls
    all back and every other subrequest reports PROCESSING_HALTED."""
    outcomes: dict[str, Any] = {}
    responses: list[dict[str, Any]] = []
    try:
        with runner.session.org.transaction():
            for sub in subrequests:
                response = _execute(runner, sub, outcomes)
                responses.append(response)
                if all_or_none and response["httpStatusCode"] >= 400:
                    raise _Halt()
    except _Halt:
        failed = len(responses) - 1
        halted = [_halted(sub, _ROLLED_BACK) for sub in subrequests]
        halted[failed] = responses[failed]
        responses = halted
    return responses


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


def _execute(runner: Runner, sub: Subrequest, outcomes: dict[str, Any]) -> dict[str, Any]:
    try:
        url = resolve(sub.url, outcomes, in_url=True)
        body = resolve(sub.body, outcomes)
    except _Unresolved as missing:
        return _halted(sub, missing.message)
    header = next((v for k, v in sub.headers.items() if k.lower() == "sforce-auto-assign"), None)
    assign = runner.auto_assign if header is None else str(header).lower() != "false"
    try:
        with runner.session.org.transaction():
            reply = dispatch(runner, sub.method, url, body, sub.headers, assign)
    except errors.SalesforceError as exc:
        reply = r.Reply(exc.http_status, [exc.to_json()])
    if reply.status < 400:
        outcomes[sub.reference_id] = reply.body
    return _response(sub, reply)


def dispatch(
    runner: Runner,
    method: str,
    url: str,
    body: Any,
    headers: Mapping[str, str],
    auto_assign: bool = True,
) -> r.Reply:
    """Serve one subrequest URL (``/services/data/vNN.0/...``) with the resource it names."""
    check_relative(url)
    parts = urlsplit(url)
    handler, args = runner.router(method, unquote(parts.path))
    caller = Caller(runner.session, args.pop("version"), auto_assign)
    return handler(r.Call(caller, args, dict(parse_qsl(parts.query)), body, headers))


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
        elif index and isinstance(current, list) and len(index) < 10 and int(index) < len(current):
            current = current[int(index)]
        else:
            raise missing
    return current
