"""Query locators (`nextRecordsUrl`): open cursors over a result's record ids.

A cursor keeps the ordered ids of its result, so every page reads the same records whatever
happens meanwhile, and any offset can be asked for. Cursors belong to their org and their user,
expire after 15 minutes without use on the org's mock clock, and a user keeps at most 10 open
(the oldest closes first), as Salesforce does ("Query Locators", API limits).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from mock_salesforce.soql.errors import InvalidQueryLocator
from mock_salesforce.soql.plan import SelectPlan
from mock_salesforce.store import OrgStore

LOCATOR_PREFIX = "01g"
IDLE_LIFETIME = timedelta(minutes=15)
MAX_OPEN_PER_USER = 10
_CACHE_KEY = "soql.locators"
_LOCATOR = re.compile(r"^(01g[0-9A-Za-z]{12,15})-(\d+)$")


@dataclass
class Cursor:
    user_id: str
    plan: SelectPlan
    ids: tuple[str, ...]
    batch_size: int
    expires_at: datetime


class LocatorBook:
    """The open cursors of one org (kept in the org's cache, never in module state)."""

    def __init__(self) -> None:
        self._cursors: dict[str, Cursor] = {}
        self._lock = threading.Lock()

    def open(self, locator: str, cursor: Cursor, now: datetime) -> None:
        """Keep `cursor` under `locator`; expired cursors and the user's oldest beyond 10 go."""
        with self._lock:
            for key in [key for key, open_ in self._cursors.items() if now >= open_.expires_at]:
                del self._cursors[key]
            mine = [key for key, open_ in self._cursors.items() if open_.user_id == cursor.user_id]
            for key in mine[: max(0, len(mine) - MAX_OPEN_PER_USER + 1)]:
                del self._cursors[key]
            self._cursors[locator] = cursor

    def use(self, locator: str, user_id: str, now: datetime) -> Cursor:
        """The live cursor `locator` of `user_id`, its idle time restarted."""
        with self._lock:
            cursor = self._cursors.get(locator)
            if cursor is None or cursor.user_id != user_id:
                raise InvalidQueryLocator("invalid query locator")
            if now >= cursor.expires_at:
                del self._cursors[locator]
                raise InvalidQueryLocator("invalid query locator")
            cursor.expires_at = now + IDLE_LIFETIME
            return cursor


def book_for(store: OrgStore) -> LocatorBook:
    with store.lock:
        book = store.cache.get(_CACHE_KEY)
        if not isinstance(book, LocatorBook):
            book = LocatorBook()
            store.cache[_CACHE_KEY] = book
        return book


def split_locator(text: str) -> tuple[str, int]:
    """`01gxx0000000001AAA-2000` -> (locator, offset); INVALID_QUERY_LOCATOR otherwise."""
    match = _LOCATOR.match(text)
    if match is None or len(match.group(2)) > 18:
        raise InvalidQueryLocator("invalid query locator")
    return match.group(1), int(match.group(2))
