"""The org's daily API allocation: a rolling 24 hours on the mock clock.

Every authenticated REST call counts; ``Sforce-Limit-Info: api-usage=used/max`` reports it and,
once the allocation is used up, calls answer 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit
exceeded." until the window rolls on (REST API Developer Guide, "Limit Info Header").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

from .. import errors
from ..schema.values import format_datetime
from ..store import OrgStore

DEFAULT_DAILY_LIMIT = 15000
WINDOW = timedelta(hours=24)


def daily_limit(store: OrgStore) -> int:
    return int(store.setting("api_daily_limit", DEFAULT_DAILY_LIMIT))


@dataclass
class _Window:
    """The call times inside the rolling window, kept in memory beside the table."""

    since: str
    times: deque[str] = field(default_factory=deque)


def _window(store: OrgStore) -> _Window:
    """The in-memory window, moved to now; reloaded when the clock went back or on first use."""
    since = format_datetime(store.now() - WINDOW)
    window = store.cache.get("api_window")
    if not isinstance(window, _Window) or since < window.since:
        rows = store.query("SELECT time FROM _mock_api_call WHERE time > ? ORDER BY time", (since,))
        window = _Window(since, deque(row["time"] for row in rows))
        store.cache["api_window"] = window
    window.since = since
    while window.times and window.times[0] <= since:
        window.times.popleft()
    return window


def used(store: OrgStore) -> int:
    with store.lock:
        return len(_window(store).times)


def consume(store: OrgStore) -> None:
    """Count one call, or raise REQUEST_LIMIT_EXCEEDED when the allocation is used up."""
    with store.lock:
        window = _window(store)
        if len(window.times) >= daily_limit(store):
            raise errors.RequestLimitExceeded()
        now = store.now_text()
        cursor = store.execute("INSERT INTO _mock_api_call (time) VALUES (?)", (now,))
        window.times.append(now)
        if (cursor.lastrowid or 0) % PRUNE_EVERY == 0:
            prune(store)


# Calls older than the window no longer count, but a clock moved back brings them in again, so
# the newest EXPIRED_KEPT of them are kept: the table holds at most a day's allocation
# (``api_daily_limit``) plus EXPIRED_KEPT plus PRUNE_EVERY rows.
EXPIRED_KEPT = 50_000
PRUNE_EVERY = 1_000


def prune(store: OrgStore, keep: int = EXPIRED_KEPT) -> None:
    """Delete the calls older than the window beyond the newest ``keep`` of them."""
    since = format_datetime(store.now() - WINDOW)
    store.execute(
        "DELETE FROM _mock_api_call WHERE time <= ? AND rowid NOT IN (SELECT rowid FROM "
        "_mock_api_call WHERE time <= ? ORDER BY time DESC LIMIT ?)",
        (since, since, keep),
    )


def usage_header(store: OrgStore) -> str:
    return f"api-usage={used(store)}/{daily_limit(store)}"


def reset(store: OrgStore) -> None:
    store.execute("DELETE FROM _mock_api_call")
    store.cache.pop("api_window", None)
