"""Waitress's task dispatcher, running one request at a time per worker process unless it waits.

Waitress hands each request to a pool thread. With several requests in flight (wrk's eight
connections on two workers), several pool threads run at once and take turns at the
interpreter lock: every SQLite statement lets go of it, so a call changes threads twenty times
or more, and each change costs a system call and cold caches. Running the requests one after
the other gets the same answers with four or five thread changes per call (docs/performance.md:
about a quarter less server CPU per GET, a third more calls a second). A route much shorter
than any of the mock's (the bench's bare route) does better on waitress's own pool.

So one pool thread runs a request while the others wait for it; the pool still matters:

- a request that waits (injected latency, a long-polled journal) says so with ``parking.parked()``,
  and another thread runs the next request meanwhile;
- a request that runs longer than ``SLICE_SECONDS`` (a large query, an answer waiting for a
  slow client) lets the next waiting request start beside it, as every thread would have
  before, so one slow call never holds up the others for long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from waitress.task import ThreadedTaskDispatcher

from . import parking

# How long a request runs alone before the next waiting one may start beside it.
SLICE_SECONDS = 0.02


class OneRunner(ThreadedTaskDispatcher):  # type: ignore[misc]
    """Waitress's thread pool, starting a request only when no other is running, or when the
    newest one running has run for ``slice_seconds`` (or waits: ``parked``).

    A request that arrives while another runs is taken by the running thread when it is done
    (no thread woken); one that may start at once wakes the thread that went idle last (its
    stack and caches are the warmest: a few percent more GETs a second than waking the one
    idle longest, as waitress does). A watchdog thread looks every ``slice_seconds`` while
    requests come in, and lets a waiting request start beside one that has run a whole
    slice; after a second without requests (or two slices, if longer) it sleeps until one
    starts or stops waiting.
    """

    def __init__(self, slice_seconds: float = SLICE_SECONDS) -> None:
        super().__init__()
        self.slice = slice_seconds
        self.running = 0  # requests being run and not parked
        self.started = 0.0  # when the newest of them started
        self.idle: list[threading.Condition] = []  # waiting pool threads, the latest last
        self.watchdog_cv = threading.Condition(self.lock)
        self.watchdog_asleep = False
        self.stopped = False
        threading.Thread(target=self._watchdog, daemon=True, name="waitress-watchdog").start()

    def _may_start(self) -> bool:
        return self.running == 0 or time.monotonic() - self.started >= self.slice

    def _wake_one(self) -> None:
        """Wake the pool thread that went idle last (its stack and caches are the warmest)."""
        if self.idle:
            self.idle.pop().notify()

    def handler_thread(self, thread_no: int) -> None:
        parking.runner.dispatcher = self
        me = threading.Condition(self.lock)
        finished = False
        while True:
            with self.lock:
                if finished:
                    # Counted as done under the same hold of the lock in which this thread
                    # takes the next request or goes idle on top of the stack: a request
                    # arriving meanwhile is this thread's, never another's.
                    self.running -= 1
                    finished = False
                while self.stop_count == 0 and not (self.queue and self._may_start()):
                    self.active_count -= 1
                    self.idle.append(me)
                    me.wait()
                    if me in self.idle:  # woken by set_thread_count's notify_all
                        self.idle.remove(me)
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    break
                task = self.queue.popleft()
                self.running += 1
                self.started = time.monotonic()
                if self.watchdog_asleep:
                    self.watchdog_cv.notify()
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finished = True

    def _watchdog(self) -> None:
        with self.lock:
            while not self.stopped:
                now = time.monotonic()
                if self.queue and self.running and now - self.started >= self.slice:
                    self._wake_one()
                if self.running or now - self.started < max(1.0, 2 * self.slice):
                    self.watchdog_cv.wait(self.slice)
                else:
                    self.watchdog_asleep = True
                    self.watchdog_cv.wait()
                    self.watchdog_asleep = False

    def add_task(self, task: Any) -> None:
        with self.lock:
            self.queue.append(task)
            if self._may_start():  # none running, or the newest has run a whole slice
                self._wake_one()

    def set_thread_count(self, count: int) -> None:
        super().set_thread_count(count)
        with self.lock:  # threads told to stop wait on their own conditions
            while self.stop_count and self.idle:
                self.idle.pop().notify()

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        with self.lock:
            self.stopped = True
            self.watchdog_cv.notify()
        return bool(super().shutdown(cancel_pending, timeout))

    @contextmanager
    def parked(self) -> Iterator[None]:
        with self.lock:
            self.running -= 1
            if self.queue:
                self._wake_one()
        try:
            yield
        finally:
            with self.lock:
                self.running += 1
                if self.watchdog_asleep:  # it slept while nothing ran: this request runs again
                    self.watchdog_cv.notify()
