"""One SQLite connection guarded by a re-entrant lock, shared by the store's parts."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from integration.storage.crypto import TokenCipher

Clock = Callable[[], datetime]
Params = Sequence[object]


def utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteBase:
    def __init__(self, path: str, cipher: TokenCipher, clock: Clock = utc_now) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._cipher = cipher
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    def _stamp(self) -> str:
        return self._clock().isoformat()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Serialise a group of reads and writes (also across threads)."""
        with self._lock:
            if self._db.in_transaction:
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, tuple(params)).fetchall())

    def _row(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _write(self, sql: str, params: Params = ()) -> int:
        with self.transaction():
            cursor = self._db.execute(sql, tuple(params))
            return int(cursor.lastrowid or 0)

    def close(self) -> None:
        with self._lock:
            self._db.close()
