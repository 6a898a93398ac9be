"""The org's daily API allocation: a rolling 24 hours on the mock clock.

Every authenticated REST call counts; ``Sforce-Limit-Info: api-usage=used/max`` reports it and,
once the allocation is used up, calls answer 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit
exceeded." until the window rolls on (REST API Developer Guide, "Limit Info Header").
"""

from __future__ import annotations

from datetime import timedelta

from . import errors
from .schema.values import format_datetime
from .store import OrgStore

DEFAULT_DAILY_LIMIT = 15000
WINDOW = timedelta(hours=24)


def daily_limit(store: OrgStore) -> int:
    return int(store.setting("api_daily_limit", DEFAULT_DAILY_LIMIT))


def used(store: OrgStore) -> int:
    since = format_datetime(store.now() - WINDOW)
    rows = store.query("SELECT COUNT(*) AS n FROM _mock_api_call WHERE time > ?", (since,))
    return int(rows[0]["n"])


def consume(store: OrgStore) -> None:
    """Count one call, or raise REQUEST_LIMIT_EXCEEDED when the allocation is used up."""
    with store.lock:
        if used(store) >= daily_limit(store):
            raise errors.RequestLimitExceeded()
        store.execute("INSERT INTO _mock_api_call (time) VALUES (?)", (store.now_text(),))


def usage_header(store: OrgStore) -> str:
    return f"api-usage={used(store)}/{daily_limit(store)}"


def reset(store: OrgStore) -> None:
    store.execute("DELETE FROM _mock_api_call")
