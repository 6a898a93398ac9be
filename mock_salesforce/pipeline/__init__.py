"""What every Salesforce API call goes through: authentication, faults, limits, journal.

Blueprints that serve Salesforce routes call ``install(bp)``. A view marked ``@public`` skips
authentication (``GET /services/data`` needs no token). Views tell the journal what they did
through ``note(...)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..errors import ApiCurrentlyDisabled, SalesforceError
from ..store import OrgStore
from . import call_log, faults, journal, journal_bodies, limits
from .attribution import org_of_refused_call
from .sessions import Session, bearer_token, lookup_session, touch_session
from .state import registry as registry

F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    """Mark a view as answering without a session."""
    view.public = True  # type: ignore[attr-defined]
    return view


def install(bp: Blueprint, api: str) -> None:
    """Run the pipeline around every view of ``bp``; ``api`` names it in the journal."""

    @bp.before_request
    def _before() -> None:
        begin(api)
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "public", False):
            return
        authenticate()


def begin(api: str) -> None:
    # The objects behind Flask's proxies, once: every proxy access costs a context lookup.
    req = request._get_current_object()  # type: ignore[attr-defined]
    ctx = g._get_current_object()
    ctx.sf_started = time.perf_counter()
    ctx.sf_journal = journal.JournalEntry(
        method=req.method,
        path=req.path,
        api=api,
        host=req.host,
        operation=(req.endpoint or "").rpartition(".")[2] or None,
        sobject=_sobject_arg(req.view_args),
    )


def _sobject_arg(args: dict[str, Any] | None) -> str | None:
    value = (args or {}).get("sobject")
    return str(value) if value else None


def authenticate(token: str | None = None) -> Session:
    """Resolve the bearer token (or ``token``, e.g. Bulk 1.0's ``X-SFDC-Session``); then
    faults, API Enabled and the daily allocation."""
    if token is None:
        token = bearer_token(request.headers.get("Authorization"))
    session = lookup_session(registry(), token, touch=False)
    ctx = g._get_current_object()
    ctx.sf_session = session
    ctx.sf_org = session.org
    entry: journal.JournalEntry = ctx.sf_journal
    entry.user_id, entry.client_id = session.user_id, session.client_id
    entry.username = session.username
    check_faults(session.org)
    if not session.perms.api_enabled:
        raise ApiCurrentlyDisabled()
    ctx.sf_used = limits.check(session.org)
    ctx.sf_counted = True  # counted, with the session's last use, when the call ends
    if entry.api == "rest":
        # The call's first write stays open until ``finish`` records the call: one commit.
        session.org.hold_commit()
    return session


def _call(entry: journal.JournalEntry) -> dict[str, str | None]:
    return {
        "user_id": entry.user_id,
        "username": entry.username,
        "operation": entry.operation,
        "sobject": entry.sobject,
        "method": entry.method,
        "api": entry.api,
        "path": entry.path,
    }


def check_faults(store: OrgStore) -> None:
    if not faults.any_defined(store):
        return
    entry: journal.JournalEntry = g.sf_journal
    try:
        faults.apply(store, _call(entry))
    except Exception as exc:
        entry.fault_id = getattr(exc, "fault_id", None)
        raise


def note(
    operation: str | None = None,
    sobject: str | None = None,
    record_ids: list[str] | None = None,
    soql: str | None = None,
) -> None:
    """Tell the journal what this call did (names in Salesforce's words)."""
    entry: journal.JournalEntry | None = g.get("sf_journal")
    if entry is None:
        return
    if operation:
        entry.operation = operation
    if sobject:
        entry.sobject = sobject
    if record_ids:
        entry.record_ids.extend(record_ids)
    if soql:
        entry.soql = soql


def finish(response: Response) -> Response:
    """After every call, in one transaction: the session's last use, the call counted against
    the daily allocation, the journal entry (error code included); then the limit header.

    A refused call (a bad token, an OAuth error) is journaled in the org it names, when any
    part of it names one (``attribution.py``). A call ``settle`` already recorded only gets
    its limit header here."""
    ctx = g._get_current_object()
    entry: journal.JournalEntry | None = getattr(ctx, "sf_journal", None)
    if entry is None:
        return response
    caller_org: OrgStore | None = getattr(ctx, "sf_org", None)
    if not getattr(ctx, "sf_settled", False):
        store = caller_org or org_of_refused_call(registry())
        if store is None or store.closed:
            return response  # no org, or it was deleted during the call: nothing to record
        committed = entry.api == "rest" and response.status_code < 300
        if caller_org is not None and committed and g.get("sf_session") is not None:
            response = _lost_answer(caller_org, entry, response)
        _close(ctx, store, entry, response.status_code, response)
    elif caller_org is None or caller_org.closed:
        return response
    counted: bool = getattr(ctx, "sf_counted", False)
    if caller_org is not None and (counted or entry.api == "rest"):
        # Counted at the call's start, plus this call: no second read of the table.
        used = ctx.sf_used + 1 if counted else None
        response.headers["Sforce-Limit-Info"] = limits.usage_header(caller_org, used)
    return response


def settle(status: int) -> None:
    """A REST call whose answer is decided (``status``, before its response is built) and
    which holds its write open for ``finish`` records itself now: its session use, API usage
    and journal entry are committed with its write, and the org's write lock is let go before
    the response is built rather than after. Calls whose recording needs the response (kept
    journal bodies, an after-commit fault that may replace it) are left to ``finish``."""
    ctx = g._get_current_object()
    store: OrgStore | None = getattr(ctx, "sf_org", None)
    entry: journal.JournalEntry | None = getattr(ctx, "sf_journal", None)
    if store is None or entry is None or store.closed or not store.holds_call_write():
        return
    if journal_bodies.enabled(store) or faults.any_defined(store):
        return
    _close(ctx, store, entry, status, None)
    ctx.sf_settled = True


def _close(
    ctx: Any, store: OrgStore, entry: journal.JournalEntry, status: int, response: Response | None
) -> None:
    """Record the call with ``status``, committed with the write it held, if any; a read
    that wrote nothing, in the org's call log (``call_log.py``) when it keeps one."""
    entry.status = status
    entry.error_code = getattr(ctx, "sf_error_code", None)
    if _logged_read(store):
        store.release_call()  # it held no write: this forgets the hold it asked for
        call_log.log_call(
            store,
            entry,
            getattr(ctx, "sf_session", None),
            getattr(ctx, "sf_counted", False),
            getattr(ctx, "sf_started", None) or time.perf_counter(),
        )
        return
    with store.end_call():  # with the call's write, when it held one open
        _record(ctx, store, entry, response)


def _logged_read(store: OrgStore) -> bool:
    """A GET that holds no write, in an org whose reads are logged."""
    return request.method == "GET" and not store.holds_call_write() and call_log.keeps(store)


# What a call keeps on ``flask.g``.
_CALL_STATE = (
    "sf_started",
    "sf_journal",
    "sf_session",
    "sf_org",
    "sf_used",
    "sf_counted",
    "sf_settled",
    "sf_error_code",
)


def release(exc: BaseException | None = None) -> None:
    """When the request ends, whatever happened: a write transaction still held open for
    ``finish`` (which did not run) is committed, and the call's state on ``g`` is forgotten.
    Flask keeps ``g`` as long as its app context: one request, unless the caller pushed one
    around several (a test's ``with app.app_context():``), where one call's state (its org,
    that it was recorded, its error code) must not reach the next."""
    state = g._get_current_object().__dict__  # not through the proxy: cheaper per call
    store: OrgStore | None = state.get("sf_org")
    if store is not None and not store.closed:
        store.release_call()
    for name in _CALL_STATE:
        state.pop(name, None)


def _record(
    ctx: Any, store: OrgStore, entry: journal.JournalEntry, response: Response | None
) -> None:
    seq = record_call(
        store,
        entry,
        getattr(ctx, "sf_session", None),
        getattr(ctx, "sf_counted", False),
        getattr(ctx, "sf_started", None) or time.perf_counter(),
    )
    if response is not None and journal_bodies.enabled(store):
        kinds = (request.mimetype or "", response.mimetype or "")
        journal_bodies.save(store, seq, _request_body(), response.get_data(), kinds)


def record_call(
    store: OrgStore,
    entry: journal.JournalEntry,
    session: Session | None,
    counted: bool,
    started: float,
) -> int:
    """The call's record, in the caller's transaction: the session's last use, the call
    counted against the daily allocation (when ``counted``), the journal entry; its ``seq``."""
    if session is not None:
        touch_session(store, session.token_hash)
    now = store.now_text()  # one time for the usage row and the journal entry
    if counted:
        limits.count_call(store, now)
    return journal.record(store, entry, (time.perf_counter() - started) * 1000, now)


def _lost_answer(store: OrgStore, entry: journal.JournalEntry, response: Response) -> Response:
    """An ``after_commit`` fault: the call committed, but the client gets an error answer."""
    try:
        faults.apply(store, _call(entry), after_commit=True)
    except SalesforceError as exc:
        entry.fault_id = getattr(exc, "fault_id", None)
        g.sf_error_code = exc.error_code
        failed = jsonify([exc.to_json()])
        failed.status_code = exc.http_status
        return failed
    return response


def _request_body() -> bytes:
    """The body sent (a form already parsed is encoded again: its stream was read)."""
    raw = request.get_data()
    if not raw and request.form:
        raw = urlencode(list(request.form.items(multi=True))).encode()
    return raw
