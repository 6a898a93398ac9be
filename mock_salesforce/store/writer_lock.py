"""One writing process at a time per org, handed on as soon as it is free.

SQLite lets one connection write at a time. A connection that finds the file locked sleeps
and tries again, 1 ms first, then 2, 5, 10 ms: two worker processes that both write on every
call (the API-usage row and the journal entry) then wait a millisecond or more for a lock
held for a tenth of one. So a write transaction first takes an ``flock`` on
``<org file>-lock``. A process that finds it taken tries again at once, giving its core to
any other ready thread or process between tries (the holder, on a machine with one core),
for up to half a millisecond: longer than most calls hold it. Then it tries again after
0.1 ms, doubling up to 2 ms. (Waiting in a blocking ``flock`` instead serves fewer calls,
and cannot be given up after a timeout; docs/performance.md.) A process killed while holding
the lock loses it with its file descriptors. If the lock is still taken after the busy
timeout, the transaction goes ahead and SQLite's own timeout decides, as before.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own waiting only
    fcntl = None  # type: ignore[assignment]

SUFFIX = "-lock"
_SPIN_SECONDS = 0.0005
_FIRST_WAIT = 0.0001
_LONGEST_WAIT = 0.002
_yield = getattr(os, "sched_yield", lambda: time.sleep(0))


class WriterLock:
    """The lock file of the org at ``path`` (none for an org held only in memory)."""

    def __init__(self, path: Path | None, timeout_seconds: float) -> None:
        self.timeout = timeout_seconds
        self._fd: int | None = None
        self._held = False
        if path is not None and fcntl is not None:
            self._fd = os.open(str(path) + SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """Take the lock; False when another process still held it after ``timeout`` (the
        caller goes on to SQLite's own timeout, or refuses what needs the lock)."""
        if self._fd is None:
            return True
        now = time.monotonic()
        spin_until, deadline = now + _SPIN_SECONDS, now + self.timeout
        wait = _FIRST_WAIT
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                now = time.monotonic()
                if now > deadline:
                    return False
                if now < spin_until:
                    _yield()
                else:
                    time.sleep(wait)
                    wait = min(wait * 2, _LONGEST_WAIT)
                continue
            self._held = True
            return True

    def release(self) -> None:
        if self._held and self._fd is not None:
            self._held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            self.release()
            os.close(self._fd)
            self._fd = None
