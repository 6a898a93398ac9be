"""Waitress's event loop and the requests it reads, on one thread, until a request waits.

Waitress reads each request in its event loop and hands it to a pool thread, which runs the
app, sends the answer and wakes the loop again through a pipe. For a call as short as most of
the mock's, the hand-offs cost more than the call: two thread switches, a pipe written and
read, a loop woken twice, and caches gone cold (docs/performance.md: a bare route served
about 7,000 calls a second that way and 16,000 without them; a GET by id, 3,970 and 5,000).

So the thread that runs the event loop (the leader) runs each request it reads itself, one
after the other, then polls again: no hand-off, no pipe, one warm thread. The loop must never
wait for one request, so the loop moves to another thread (leader and followers):

- a request that waits says so with ``parking.parked()`` (injected latency, a long-polled
  journal): its thread hands the loop on at once and finishes the request by itself;
- a request that runs longer than ``SLICE_SECONDS`` (a large query, an answer larger than
  waitress's output buffer, a slow client) is seen by a watchdog thread, which hands the loop
  on in the same way, so new requests wait at most about a slice behind it.

A thread whose request is done after it lost the loop waits, idle, until the loop comes back
to it. Threads are started when first needed. At most the pool's size of requests run at once
(``--threads``): beyond that a request read waits in the queue, but the loop always has a
thread of its own, so it goes on reading, accepting and sending answers. The thread calling
``serve`` only waits: a signal stops the server (``drain``, then ``shutdown``) without landing
inside a request.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from waitress import wasyncore

from . import parking

log = logging.getLogger("waitress")

# How long a request runs on the loop's thread before the loop moves to another thread.
SLICE_SECONDS = 0.02


class LoopRunner:
    """Waitress's task dispatcher that also runs the event loop (``serve``): the thread
    running the loop runs the requests it reads, and hands the loop on when one waits
    (``parked``) or runs past ``slice_seconds``. At most ``size`` requests run at once (the
    pool's threads, ``--threads``); the loop itself always has a thread of its own to move to.
    """

    logger = log

    def __init__(self, slice_seconds: float = SLICE_SECONDS) -> None:
        self.slice = slice_seconds
        self.lock = threading.Lock()
        self.queue: deque[Any] = deque()  # channels with a request read and not yet run
        self.leader: int | None = None  # the thread running the loop (None: the next free one)
        self.busy = False  # the leader is running a request...
        self.started = 0.0  # ...since then
        self.holding = 0  # requests still running on threads that handed the loop on
        self.idle: list[threading.Condition] = []  # threads waiting for the loop, latest last
        self.threads: list[threading.Thread] = []
        self.size = 16  # requests running at once, at most
        self.members = 0  # threads taking part (idle, holding a request, or leading)
        self.ended = False
        self.done = threading.Event()
        self.socket_map: dict[int, Any] = {}
        self.timeout = 0.2
        self.use_poll = True
        self.watchdog_cv = threading.Condition(self.lock)
        self.watchdog_asleep = False
        # Wakes the loop from its poll, running a function there if given (the trigger).
        self.waker: Callable[..., None] | None = None

    # -- what waitress calls -------------------------------------------------------------
    def set_thread_count(self, count: int) -> None:
        self.size = max(1, count)

    def add_task(self, task: Any) -> None:
        with self.lock:
            self.queue.append(task)
            leading = self.leader == threading.get_ident()
        if not leading:  # the loop may be asleep in poll: it runs queued requests first
            task.server.pull_trigger()

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        self._end()
        with self.lock:
            pending = list(self.queue) if cancel_pending else []
            self.queue.clear()
        for task in pending:
            task.cancel()
        deadline = time.monotonic() + timeout
        for thread in list(self.threads):
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        still = [
            t.name for t in self.threads if t.is_alive() and t is not threading.current_thread()
        ]
        if still:
            self.logger.warning("%d thread(s) still running", len(still))
        return True

    def drain(self, timeout: float) -> None:
        """Stop taking connections, and wait (up to ``timeout``) until no request runs or
        waits to run and every answer has been sent."""
        self._wake(_close_listeners(self.socket_map))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._idle():
            time.sleep(0.01)

    def _idle(self) -> bool:
        with self.lock:
            if self.busy or self.holding or self.queue:
                return False
        return not any(getattr(d, "total_outbufs_len", 0) for d in list(self.socket_map.values()))

    def _wake(self, thunk: Callable[[], None] | None = None) -> None:
        if self.waker is not None:
            with contextlib.suppress(OSError):  # closed: the loop has ended
                if thunk is None:
                    self.waker()
                else:
                    self.waker(thunk)

    def quiet(self, pull_trigger: Callable[[], None]) -> Callable[[], None]:
        """A server's ``pull_trigger`` that does nothing on the loop's own thread: the loop
        looks at every channel again when the request it runs is done."""

        def pull() -> None:
            with self.lock:
                leading = self.leader == threading.get_ident()
            if not leading:
                with contextlib.suppress(OSError):  # closed: the loop has ended
                    pull_trigger()

        return pull

    # -- the loop ------------------------------------------------------------------------
    def serve(self, socket_map: dict[int, Any], timeout: float, use_poll: bool = True) -> None:
        """Run the event loop over ``socket_map`` (waitress's ``server.run()``) on the pool's
        threads until the map is empty (every socket closed) or ``shutdown``. The calling
        thread only waits, so a signal (Ctrl-C, SIGTERM) never interrupts a request: it
        stops the server, and the requests running finish (``shutdown``'s wait)."""
        self.socket_map, self.timeout, self.use_poll = socket_map, timeout, use_poll
        threading.Thread(target=self._watchdog, daemon=True, name="waitress-watchdog").start()
        with self.lock:
            self._start_member()
        try:
            while not self.done.wait(1.0):
                pass
        except (SystemExit, KeyboardInterrupt):
            self.drain(5.0)  # the requests running are answered first
            self.shutdown()

    def _start_member(self) -> None:
        """(Lock held.) A new thread, which takes the loop if nobody holds it."""
        self.members += 1
        thread = threading.Thread(
            target=self._member, daemon=True, name=f"waitress-{len(self.threads)}"
        )
        self.threads.append(thread)
        thread.start()

    def _member(self) -> None:
        """Run the loop whenever it is this thread's turn, until it ends."""
        parking.runner.dispatcher = self
        me = threading.get_ident()
        turn = threading.Condition(self.lock)
        try:
            while True:
                with self.lock:
                    while not self.ended and self.leader is not None and self.leader != me:
                        self.idle.append(turn)
                        turn.wait()
                        if turn in self.idle:
                            self.idle.remove(turn)
                    if self.ended:
                        return
                    self.leader = me
                self._lead(me)
        finally:
            with self.lock:
                self.members -= 1

    def _lead(self, me: int) -> None:
        poll = wasyncore.poll2 if self.use_poll else wasyncore.poll
        try:
            while True:
                with self.lock:
                    if self.leader != me or self.ended:
                        return
                    task = None
                    if self.queue and self.holding < self.size:
                        task = self.queue.popleft()
                        self.busy = True
                        self.started = time.monotonic()
                        if self.watchdog_asleep:
                            self.watchdog_cv.notify()
                if task is not None:
                    try:
                        task.service()
                    except BaseException:
                        self.logger.exception("Exception when servicing %r", task)
                    with self.lock:
                        if self.leader == me:
                            self.busy = False  # the watchdog leaves the loop here now
                            waiting = False
                        else:  # the loop moved on while this request ran
                            self.holding -= 1
                            waiting = bool(self.queue)
                    if waiting:  # one may run now: the loop may be asleep in its poll
                        self._wake()
                    continue
                if not self.socket_map:
                    self._end()
                    return
                poll(self.timeout, self.socket_map)
        except BaseException:
            with self.lock:
                if self.leader == me:
                    self._hand_on()
            raise

    def _end(self) -> None:
        with self.lock:
            self.ended = True
            for waiting in self.idle:
                waiting.notify()
            self.watchdog_cv.notify()
        self.done.set()
        self._wake()  # out of its poll at once

    def _hand_on(self) -> None:
        """(Lock held.) The loop leaves the thread running it: to the thread that went idle
        last (its stack and caches are the warmest), or to a new one. A request still running
        on the thread it left counts against ``size`` until it is done."""
        if self.busy:
            self.holding += 1
        self.leader = None
        self.busy = False
        if self.ended:
            return
        if self.idle:
            self.idle.pop().notify()
        else:
            self._start_member()

    def _watchdog(self) -> None:
        """Hand the loop on when the request on it has run a whole slice. Asleep while no
        request has run for a second (or two slices, if longer)."""
        with self.lock:
            while not self.ended:
                now = time.monotonic()
                if self.busy and now - self.started >= self.slice:
                    self._hand_on()
                if self.busy:
                    self.watchdog_cv.wait(max(0.001, self.started + self.slice - now))
                elif now - self.started < max(1.0, 2 * self.slice):
                    self.watchdog_cv.wait(self.slice)
                else:
                    self.watchdog_asleep = True
                    self.watchdog_cv.wait()
                    self.watchdog_asleep = False

    @contextmanager
    def parked(self) -> Iterator[None]:
        """Around a wait on the loop's thread: the loop moves to another thread first."""
        with self.lock:
            if self.leader == threading.get_ident():
                self._hand_on()
        yield


def _close_listeners(socket_map: dict[int, Any]) -> Callable[[], None]:
    """A function closing the listening sockets in ``socket_map`` (run in the loop)."""

    def close() -> None:
        for dispatcher in list(socket_map.values()):
            if getattr(dispatcher, "accepting", False):
                # The socket alone: waitress's server.close() closes the loop's trigger too.
                wasyncore.dispatcher.close(dispatcher)

    return close
