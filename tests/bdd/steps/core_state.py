"""The app's own state: connection health, sync log, notifications"""

from __future__ import annotations

from pytest_bdd import then, when

from integration.storage.rows import SyncLogEntry

from ..drivers.sales_app import SalesApp
from ..phrase import phrase


@then(phrase('the team sync connection is "{status}"'))
def _(sales_app: SalesApp, status: str) -> None:
    """The health of the team sync credential.

    Example: Then the team sync connection is "degraded"
    """
    credential = sales_app.team_sync_credential()
    assert credential is not None, "no team sync credential"
    assert credential.status.value == status, (
        f"{credential.status.value}: {credential.status_reason}"
    )


@then(phrase('{member}\'s personal connection is "{status}"'))
def _(sales_app: SalesApp, member: str, status: str) -> None:
    """The health of a member's personal credential.

    Example: Then Alice's personal connection is "needs_reauth"
    """
    credential = sales_app.personal_credential(member)
    assert credential is not None, f"{member} has no personal credential"
    assert credential.status.value == status, (
        f"{credential.status.value}: {credential.status_reason}"
    )


@then(phrase('{member} is notified "{text}"'))
def _(sales_app: SalesApp, member: str, text: str) -> None:
    """A member-facing notification.

    Example: Then Alice is notified "reconnect"
    """
    notes = sales_app.core.store.notifications(sales_app.member(member).member_id)
    seen = [n.message for n in notes]
    assert any(text in m for m in seen), (
        f"{member} was not told {text!r}; their notifications: {seen}"
    )


@then(phrase('{member} is notified "{text}" {count:d} time'))
def _(sales_app: SalesApp, member: str, text: str, count: int) -> None:
    """How many of a member's notifications say this (X-07: told once, not on every call).

    Example: Then Alice is notified "reconnect" 1 time
    """
    notes = sales_app.core.store.notifications(sales_app.member(member).member_id)
    seen = [n.message for n in notes]
    told = [m for m in seen if text in m]
    assert len(told) == count, (
        f"{member} was told {text!r} {len(told)} times, expected {count}; "
        f"their notifications: {seen}"
    )


@then(phrase('the sync log shows "{error_code}" for "{record}"'))
def _(sales_app: SalesApp, error_code: str, record: str) -> None:
    """A sync-log entry for a record with a Salesforce error code (or warning code).

    Example: Then the sync log shows "FIELD_SKIPPED" for "Jane Doe"
    """
    app_id = sales_app.record(record).app_id if record in sales_app.records else record
    entries = sales_app.core.store.sync_log(sales_app.team_id)
    found = [e for e in entries if e.error_code == error_code and app_id in (e.record, record)]
    seen = [(e.error_code, e.record, e.message) for e in entries]
    assert found, f"no {error_code} entry for {record!r} in the sync log; it has {seen}"


@then(phrase('the sync log says "{text}"'))
def _(sales_app: SalesApp, text: str) -> None:
    """Some sync-log entry's message contains the text.

    Example: Then the sync log says "skipped: no edit permission"
    """
    entries = sales_app.core.store.sync_log(sales_app.team_id)
    seen = [e.message for e in entries]
    assert any(text in m for m in seen), f"no sync log entry says {text!r}; the log has {seen}"


@then("the sync log is empty")
def _(sales_app: SalesApp) -> None:
    """Nothing failed and nothing was skipped.

    Example: Then the sync log is empty
    """
    entries = sales_app.core.store.sync_log(sales_app.team_id)
    seen = [(e.error_code, e.message) for e in entries]
    assert entries == [], f"the sync log is not empty: {seen}"


@then(phrase("the connection events of team sync are {events:Text}"))
def _(sales_app: SalesApp, events: str) -> None:
    """Every recorded status change of team sync, in order, across reconnects ("none" for none; connecting is not a change).

    Example: Then the connection events of team sync are "connected", "paused_quota", "connected"
    """
    seen = sales_app.team_sync_events()
    wanted = _event_list(events)
    assert seen == wanted, f"the team sync events were {seen}"


def _event_list(events: str) -> list[str]:
    """``"connected", "degraded"`` as a list; ``none`` for no event at all."""
    if events.strip() == "none":
        return []
    return [w.strip(' "') for w in events.split(",")]


def _log_entries(sales_app: SalesApp, record: str) -> list[SyncLogEntry]:
    app_id = sales_app.record(record).app_id
    return [e for e in sales_app.core.store.sync_log(sales_app.team_id) if e.record == app_id]


@then(
    phrase('the sync log entry for "{record}" names the object, the direction and the acting user')
)
def _(sales_app: SalesApp, record: str) -> None:
    """A failure entry carries what a person needs to fix it.

    Example: Then the sync log entry for "Jane Doe" names the object, the direction and the acting user
    """
    entries = _log_entries(sales_app, record)
    assert entries, f"no sync log entry for {record}"
    entry = entries[-1]
    assert entry.sobject and entry.direction == "push" and entry.acting_credential_id, entry
    assert entry.error_code and entry.message and entry.attempts >= 1, entry


@when(phrase('an admin resyncs the failed push of "{record}"'))
def _(sales_app: SalesApp, record: str) -> None:
    """The admin clicks resync on the sync log entry; the worker runs it.

    Example: When an admin resyncs the failed push of "Jane Doe"
    """
    entry = _log_entries(sales_app, record)[-1]
    sales_app.core.worker.resync(entry.entry_id)
    sales_app.core.worker.drain()


@then(phrase('the sync log entry for "{record}" is resolved'))
def _(sales_app: SalesApp, record: str) -> None:
    """The resynced failure is marked resolved.

    Example: Then the sync log entry for "Jane Doe" is resolved
    """
    entries = _log_entries(sales_app, record)
    assert entries, f"no sync log entry for {record!r}"
    open_errors = [
        (e.error_code, e.message) for e in entries if e.level == "error" and not e.resolved
    ]
    assert open_errors == [], f"unresolved sync log entries for {record!r}: {open_errors}"


@then(phrase('the connection events of {member}\'s personal credential end with "{status}"'))
def _(sales_app: SalesApp, member: str, status: str) -> None:
    """The last recorded status change of a member's connection (X-29).

    Example: Then the connection events of Alice's personal credential end with "needs_reauth"
    """
    credential = sales_app.personal_credential(member)
    assert credential is not None, f"{member} has no personal credential"
    events = sales_app.core.store.connection_events(credential.credential_id)
    seen = [e.to_status.value for e in events]
    assert seen and seen[-1] == status, f"the events of {member}'s personal credential were {seen}"


@then(phrase("the connection events of {member}'s personal credential are {events:Text}"))
def _(sales_app: SalesApp, member: str, events: str) -> None:
    """Every recorded status change of a member's connection, in order ("none" for none; connecting is not a change).

    Example: Then the connection events of Alice's personal credential are "connected", "needs_reauth"
    """
    credential = sales_app.personal_credential(member)
    assert credential is not None, f"{member} has no personal credential"
    seen = [
        e.to_status.value for e in sales_app.core.store.connection_events(credential.credential_id)
    ]
    wanted = _event_list(events)
    assert seen == wanted, f"the events of {member}'s personal credential were {seen}"


SYNC_LOG_FIELDS = (
    "errorCode",
    "retryable",
    "attempts",
    "acting user",
    "object",
    "direction",
    "level",
)


@then(phrase('the sync log entry for "{record}" has {field} "{value}"', field=SYNC_LOG_FIELDS))
def _(sales_app: SalesApp, record: str, field: str, value: str) -> None:
    """One field of the latest sync-log entry of a record; retryable is yes or no, acting user a username, direction push or pull, level error or warning.

    Example: Then the sync log entry for "Jane Doe" has attempts "5"
    """
    entries = _log_entries(sales_app, record)
    assert entries, f"no sync log entry for {record}"
    seen = sales_app.log_field(entries[-1], field)
    assert seen == value, (
        f"the sync log entry for {record!r} has {field} {seen!r}, expected {value!r}"
    )
