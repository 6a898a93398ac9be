"""Which pre-forked worker takes the next connection: the one holding the fewest.

Every worker waits on the one listening socket, and the kernel hands a new connection to
whichever accepts first. Clients keep their connections open (keep-alive), so where a
connection lands is where all its calls run: with eight connections opened at once, one
worker often took all eight and the other sat idle, halving throughput at random from one run
to the next (docs/performance.md).

So the workers share, in memory mapped before the fork, how many connections each holds and
whether it is listening. A worker listens only while it holds no more than the least loaded
of the others. A worker holding more that finds no other listening wakes, through their
pipes, the workers holding fewer (which start listening at once rather than at their own
next event) and leaves the new connection to them for up to 20 ms; then it takes it itself,
so that a connection never waits long on a worker whose event loop is held up. A worker
that stopped altogether (SIGSTOP, a debugger) no longer counts as listening after 0.5 s.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Any

# How long a worker waits for the table's lock before going ahead without it.
LOCK_WAIT_SECONDS = 0.005
# Per worker: alive, connections held, listening until (monotonic milliseconds; 0: not).
_FIELDS = 3
_ALIVE, _HELD, _LISTENING = range(_FIELDS)
# A worker that listens says so again at least this often (its event loop's longest wait)...
LOOP_TIMEOUT_SECONDS = 0.2
# ...and counts as listening for this long after it last said so: a worker that stopped
# (SIGSTOP, a debugger) leaves new connections to the others within about half a second.
_FRESH_MS = 500


def _now_ms() -> int:
    return int(time.monotonic() * 1000)


class Balance:
    """The shared table of ``slots`` workers (made in the parent, before it forks)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._memory = mmap.mmap(-1, slots * _FIELDS * 8)  # anonymous and shared: kept across fork
        self._cells = memoryview(self._memory).cast("q")
        # A POSIX record lock on an anonymous file: held per process, and let go by the kernel
        # when a worker holding it is killed (a semaphore would stay taken for good).
        self._lock_file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the table)
        self._pipes = [os.pipe() for _ in range(slots)]
        for read_end, write_end in self._pipes:
            os.set_blocking(read_end, False)
            os.set_blocking(write_end, False)

    def close(self) -> None:
        """Let go of the table's lock file and pipes (in the parent, once the workers ended)."""
        self._lock_file.close()
        for read_end, write_end in self._pipes:
            os.close(read_end)
            os.close(write_end)
        self._pipes = []
        self._cells.release()
        self._memory.close()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[bool]:
        """The table's lock, waited for up to ``LOCK_WAIT_SECONDS``; yields whether it was got.
        A worker stopped while holding it (SIGSTOP, a debugger) must not stop the others'
        event loops: they go ahead without it, and each then simply listens."""
        fd = self._lock_file.fileno()
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:  # taken (EACCES or EAGAIN)
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.0002)
        try:
            yield True
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def _cell(self, slot: int, field: int) -> int:
        return int(self._cells[slot * _FIELDS + field])

    def _set(self, slot: int, field: int, value: int) -> None:
        self._cells[slot * _FIELDS + field] = value

    def join(self, slot: int) -> Seat:
        """``slot``'s worker starts (in the worker, after the fork)."""
        with self._locked():
            self._set(slot, _ALIVE, 1)
            self._set(slot, _HELD, 0)
            self._set(slot, _LISTENING, 0)
        return Seat(self, slot)

    def leave(self, slot: int) -> None:
        """``slot``'s worker ended (in the parent): the others stop counting on it."""
        with self._locked():
            self._set(slot, _ALIVE, 0)
            self._set(slot, _LISTENING, 0)
        self.wake_all()

    def wake_all(self) -> None:
        for slot in range(self.slots):
            self.wake(slot)

    def _others(self, slot: int) -> list[int]:
        return [s for s in range(self.slots) if s != slot and self._cell(s, _ALIVE)]

    def should_listen(self, slot: int, held: int, deferred: bool) -> tuple[bool, bool]:
        """Whether ``slot``'s worker, holding ``held`` connections, waits for new ones, and
        whether it only would because no other worker listens (``forced``): it then wakes the
        others, which hold fewer. While ``deferred``, a forced worker does not listen."""
        behind: list[int] = []
        with self._locked() as got:
            now = _now_ms()
            self._set(slot, _HELD, held)
            if not got:  # listening too is harmless; leaving nobody to listen is not
                self._set(slot, _LISTENING, now + _FRESH_MS)
                return True, False
            others = self._others(slot)
            fewest = min((self._cell(s, _HELD) for s in others), default=held)
            forced = held > fewest and not any(self._cell(s, _LISTENING) > now for s in others)
            listen = held <= fewest or (forced and not deferred)
            self._set(slot, _LISTENING, now + _FRESH_MS if listen else 0)
            if forced:
                behind = [s for s in others if self._cell(s, _HELD) < held]
        for other in behind:
            self.wake(other)
        return listen, forced

    def stop_listening(self, slot: int) -> None:
        with self._locked():
            self._set(slot, _LISTENING, 0)

    def wake(self, slot: int) -> None:
        # A full pipe already holds a wake-up the worker has yet to read.
        with contextlib.suppress(BlockingIOError, OSError, IndexError):  # IndexError: closed
            os.write(self._pipes[slot][1], b"w")

    def wake_fd(self, slot: int) -> int:
        return self._pipes[slot][0]

    def held(self, slot: int) -> int:
        """What ``slot``'s worker last said it holds: the entries of its event loop's socket
        map, its connections plus three of its own (the listener, waitress's trigger and the
        wake-up pipe), the same in every worker (for tests and diagnostics)."""
        return self._cell(slot, _HELD)


# How long a worker holding more connections than another leaves a new connection to that
# other (woken to take it) before taking it itself, in case the other's event loop is held up
# (a busy machine, a long call holding the interpreter). It ends as soon as the other listens.
DEFER_SECONDS = 0.02
# A worker's event loop asks whether to listen at every turn; the answer is kept this long while
# its count stays the same and nothing woke it (the table is shared, behind a lock).
RECHECK_SECONDS = 0.05


class Seat:
    """One worker's place in the table."""

    def __init__(self, balance: Balance, slot: int) -> None:
        self.balance = balance
        self.slot = slot
        self._forced_since: float | None = None
        self._answer: tuple[int, bool, float] | None = None  # held, listen, when asked
        self.woken = False

    def listening(self, held: int) -> bool:
        """Whether the worker, holding ``held`` connections, takes new ones now."""
        now = time.monotonic()
        answer = self._answer
        if (
            answer is not None
            and answer[0] == held
            and now - answer[2] < RECHECK_SECONDS
            and not self.woken
        ):
            return answer[1]
        self.woken = False
        since = self._forced_since
        deferred = since is None or now - since < DEFER_SECONDS
        listen, forced = self.balance.should_listen(self.slot, held, deferred)
        if not forced:
            self._forced_since = None
        elif since is None:
            # Look again once the deferral is over, even if nothing else wakes this worker.
            self._forced_since = now
            timer = threading.Timer(DEFER_SECONDS, self.balance.wake, (self.slot,))
            timer.daemon = True
            timer.start()
        self._answer = None if forced else (held, listen, now)
        return listen

    def attach(self, socket_map: dict[int, Any]) -> None:
        """Let the worker's event loop (waitress's socket map) be woken by the others."""
        from waitress import wasyncore

        seat = self

        class WakeUp(wasyncore.file_dispatcher):  # type: ignore[misc]
            def readable(self) -> bool:
                return True

            def writable(self) -> bool:
                return False

            def handle_read(self) -> None:
                seat.woken = True
                with contextlib.suppress(OSError):
                    self.recv(512)

            def handle_close(self) -> None:
                self.close()

        WakeUp(self.balance.wake_fd(self.slot), map=socket_map)


def balanced_server_class() -> type:
    """waitress's TCP server, listening only when this worker's seat says it should."""
    from waitress.server import TcpWSGIServer

    class BalancedServer(TcpWSGIServer):  # type: ignore[misc]
        seat: Seat | None = None

        def readable(self) -> bool:
            listening = bool(super().readable())
            seat = self.seat
            if seat is None:
                return listening
            if not listening:
                seat.balance.stop_listening(seat.slot)
                return False
            return seat.listening(len(self._map))

    return BalancedServer
