"""The org's daily API allocation: a rolling 24 hours on the mock clock.

Every authenticated REST call counts; ``Sforce-Limit-Info: api-usage=used/max`` reports it and,
once the allocation is used up, calls answer 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit
exceeded." until the window rolls on (REST API Developer Guide, "Limit Info Header").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from .. import errors
from ..schema.values import format_datetime
from ..store import OrgStore
from ..store.calllog import Position, parse_line

DEFAULT_DAILY_LIMIT = 15000
WINDOW = timedelta(hours=24)


def daily_limit(store: OrgStore) -> int:
    return int(store.setting("api_daily_limit", DEFAULT_DAILY_LIMIT))


@dataclass
class _Window:
    """The call times inside the rolling window, kept in memory beside the table, and the last
    row read: calls counted by other worker processes are read from there on. Calls in the
    org's call log (pipeline/call_log.py) count from their line until it is folded into a row:
    ``logged`` holds them, by log id and the offset their line ends at."""

    since: str
    times: deque[str] = field(default_factory=deque)
    last_row: int = 0
    synced: int | None = None  # the store's data version when the table was last read
    logged: deque[tuple[str | None, int, str]] = field(default_factory=deque)
    log_read: Position = (None, 0)  # how far this window read the call log
    folded: Position = (None, 0)  # how far the log was folded into rows, as last read


def _window(store: OrgStore) -> _Window:
    """The window, moved to now with the calls counted since (by any process); reloaded when
    the clock went back, after a reset, or on first use."""
    since = format_datetime(store.now() - WINDOW)
    window = store.cache.get("api_window")
    fresh = not isinstance(window, _Window) or since < window.since
    if fresh:
        window = _Window(since)
        store.cache["api_window"] = window
    assert isinstance(window, _Window)
    # The log first: a log found replaced was folded whole, so the rows are read again after.
    sync = fresh
    for _ in range(3):
        lines: list[tuple[int, bytes]] = []
        log_id: str | None = None
        replaced = False
        if store.calls is not None:
            log_id, lines, reached = store.calls.read(window.log_read)
            replaced = window.log_read[0] is not None and log_id != window.log_read[0]
            window.log_read = (log_id, reached)
        synced = sync or replaced or window.synced != store.seen_data_version
        if fresh:
            rows = _rows(store, window, "time > ?", since)
            fresh = False
        elif synced:
            rows = _rows(store, window, "rowid > ?", window.last_row)
        else:  # no other process committed since: this process's own calls are already in
            rows = []
        window.synced = store.seen_data_version
        if rows:
            window.times.extend(row["time"] for row in rows if row["time"] > since)
            window.last_row = max(window.last_row, rows[-1]["rowid"])
        if lines or window.logged:
            _add_logged(window, log_id, lines)
        if not synced or store.calls is None or store.calls.end()[0] == log_id:
            break
        # The log read was folded whole and replaced while the rows were read: its lines may
        # be in both. Read again, from the new file (rare: once per replaced log at most).
        sync = True
    window.since = since
    while window.times and window.times[0] <= since:
        window.times.popleft()
    while window.logged and window.logged[0][2] <= since:
        window.logged.popleft()
    return window


def _rows(store: OrgStore, window: _Window, condition: str, value: Any) -> list[Any]:
    """Usage rows (``condition``), and how far the call log is folded, as of one commit."""
    sql = f"SELECT rowid, time FROM _mock_api_call WHERE {condition} ORDER BY rowid"
    if store.calls is None:
        return store.query(sql, (value,))
    with store.lock:
        conn = store.conn
        reading = not conn.in_transaction
        if reading:
            conn.execute("BEGIN")
        try:
            rows = conn.execute(sql, (value,)).fetchall()
            window.folded = store.call_log_position()
        finally:
            if reading:
                conn.execute("COMMIT")
    return rows


def _add_logged(window: _Window, log_id: str | None, lines: list[tuple[int, bytes]]) -> None:
    """Count the log's new lines of counted calls; forget those folded into rows since."""
    folded_id, folded_at = window.folded
    for end, text in lines:
        if not text or (log_id == folded_id and end <= folded_at):
            continue  # the empty line before each line, or one folded into a row already
        fields = _logged_call(text)
        if fields is not None:
            window.logged.append((log_id, end, fields))
    # Folded lines are the oldest: a line of another file than the one read now was folded
    # with the whole of its file, and the current file is folded in order.
    logged = window.logged
    while logged and (
        logged[0][0] != log_id or (logged[0][0] == folded_id and logged[0][1] <= folded_at)
    ):
        logged.popleft()


def _logged_call(text: bytes) -> str | None:
    """The time of a counted call's line; None for a call not counted or a broken line."""
    parts = parse_line(text)
    return parts[1] if parts is not None and parts[0] else None


def resync(store: OrgStore) -> None:
    """This process folded the call log: read the rows and the fold's position again."""
    window = store.cache.get("api_window")
    if isinstance(window, _Window):
        window.synced = None


def used(store: OrgStore, pending: int = 0) -> int:
    """Calls counted in the window, plus ``pending`` ones served but not yet written."""
    with store.lock:
        window = _window(store)
        return len(window.times) + len(window.logged) + pending


def check(store: OrgStore) -> int:
    """Raise REQUEST_LIMIT_EXCEEDED when the allocation is used up; else the calls counted."""
    with store.lock:
        window = _window(store)
        counted = len(window.times) + len(window.logged)
        if counted >= daily_limit(store):
            raise errors.RequestLimitExceeded()
        return counted


def count_call(store: OrgStore, now: str | None = None) -> None:
    """Count one call at ``now`` (else the org's time; the pipeline counts it in the call's
    closing transaction)."""
    now = now or store.now_text()
    cursor = store.execute("INSERT INTO _mock_api_call (time) VALUES (?)", (now,))
    row = cursor.lastrowid or 0
    window = store.cache.get("api_window")
    if isinstance(window, _Window) and row == window.last_row + 1:
        # Next in line: kept in memory (a rolled back transaction drops the window).
        window.times.append(now)
        window.last_row = row
    if row % PRUNE_EVERY == 0:
        prune(store)


def count_logged_calls(store: OrgStore, times: list[str]) -> None:
    """Count the calls of the call log folded now (``times``), in order. The window counted
    them from their lines; it reads them as rows next time (``resync``)."""
    if not times:
        return
    with store.lock:
        before = int(
            store.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM _mock_api_call").fetchone()[0]
        )
        store.conn.executemany(
            "INSERT INTO _mock_api_call (time) VALUES (?)", [(each,) for each in times]
        )
    if (before + len(times)) // PRUNE_EVERY != before // PRUNE_EVERY:
        prune(store)


def consume(store: OrgStore) -> None:
    """Count one call, or raise REQUEST_LIMIT_EXCEEDED when the allocation is used up."""
    with store.lock:
        check(store)
        count_call(store)


# Calls older than the window no longer count, but a clock moved back brings them in again, so
# the newest EXPIRED_KEPT of them are kept: the table holds at most a day's allocation
# (``api_daily_limit``) plus EXPIRED_KEPT plus PRUNE_EVERY rows.
EXPIRED_KEPT = 50_000
PRUNE_EVERY = 1_000


def prune(store: OrgStore, keep: int = EXPIRED_KEPT) -> None:
    """Delete the calls older than the window beyond the newest ``keep`` of them.

    The table has no index on time (one page less per call), so rows are picked by rowid,
    which is call order: everything but the newest ``keep`` plus as many as the window holds.
    Only rows below that bound are read (about PRUNE_EVERY since the last prune), and of them
    only those older than the window are deleted. With the clock only ever moving forward this
    keeps exactly the window and the newest ``keep`` expired calls; calls made while the clock
    stood further back sort by when they were made, not by their time.
    """
    with store.lock:
        window = _window(store)
        top = store.query("SELECT MAX(rowid) FROM _mock_api_call")[0][0]
        if top is None:
            return
        # Never the newest row: its rowid is where every process reads new calls from.
        bound = min(int(top) - len(window.times) - keep, int(top) - 1)
        if bound > 0:
            store.execute(_PRUNE, (bound, window.since))


_PRUNE = "DELETE FROM _mock_api_call WHERE rowid <= ? AND time <= ?"


def usage_header(store: OrgStore, counted: int | None = None) -> str:
    """``api-usage=used/max``; ``counted`` when the caller already knows the number."""
    return f"api-usage={used(store) if counted is None else counted}/{daily_limit(store)}"


def reset(store: OrgStore) -> None:
    with store.transaction():  # which folds the call log first: its calls go too
        store.execute("DELETE FROM _mock_api_call")
    store.cache.pop("api_window", None)


# Bulk API allocations (limits cheatsheet, "Bulk API and Bulk API 2.0 Limits"): batches per
# rolling 24 hours, shared by both Bulk APIs (a Bulk 2.0 ingest job counts one batch per 10,000
# rows it ran), and Bulk 2.0 query jobs per rolling 24 hours. The maxima are org settings.
DEFAULT_BULK_BATCHES = 15000
DEFAULT_BULK_QUERY_JOBS = 10000
BULK_QUERY_STORAGE_MB = 976562
ROWS_PER_BATCH = 10000


def _bulk_tables_exist(store: OrgStore) -> bool:
    rows = store.query(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_mock_bulk_job'"
    )
    return bool(rows)


def bulk_batches_used(store: OrgStore) -> int:
    """Batches in the last 24 hours: Bulk 1.0 batches plus Bulk 2.0 ingest rows / 10,000."""
    if not _bulk_tables_exist(store):
        return 0
    since = format_datetime(store.now() - WINDOW)
    classic = store.query("SELECT COUNT(*) FROM _mock_bulk_batch WHERE created_date > ?", (since,))
    ingest = store.query(
        "SELECT COALESCE(SUM(MAX(1, (json_extract(definition, '$.records_processed') + ?) / ?)), 0)"
        " FROM _mock_bulk_job WHERE kind = 'V2Ingest' AND created_date > ? AND "
        "json_extract(definition, '$.processed')",
        (ROWS_PER_BATCH - 1, ROWS_PER_BATCH, since),
    )
    return int(classic[0][0]) + int(ingest[0][0])


def bulk_query_jobs_used(store: OrgStore) -> int:
    if not _bulk_tables_exist(store):
        return 0
    since = format_datetime(store.now() - WINDOW)
    rows = store.query(
        "SELECT COUNT(*) FROM _mock_bulk_job WHERE kind = 'V2Query' AND created_date > ?", (since,)
    )
    return int(rows[0][0])


def bulk_batches_remaining(store: OrgStore) -> int:
    cap = int(store.setting("bulk_daily_batches", DEFAULT_BULK_BATCHES))
    return max(0, cap - bulk_batches_used(store))


def bulk_query_jobs_remaining(store: OrgStore) -> int:
    cap = int(store.setting("bulk_daily_query_jobs", DEFAULT_BULK_QUERY_JOBS))
    return max(0, cap - bulk_query_jobs_used(store))


def bulk_limits(store: OrgStore) -> dict[str, dict[str, int]]:
    """The Bulk entries of ``/limits``."""
    batches = int(store.setting("bulk_daily_batches", DEFAULT_BULK_BATCHES))
    query_jobs = int(store.setting("bulk_daily_query_jobs", DEFAULT_BULK_QUERY_JOBS))
    return {
        "DailyBulkApiBatches": {"Max": batches, "Remaining": bulk_batches_remaining(store)},
        "DailyBulkV2QueryFileStorageMB": {
            "Max": BULK_QUERY_STORAGE_MB,
            "Remaining": BULK_QUERY_STORAGE_MB,
        },
        "DailyBulkV2QueryJobs": {"Max": query_jobs, "Remaining": bulk_query_jobs_remaining(store)},
    }
