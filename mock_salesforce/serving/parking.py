"""Telling the server's thread pool that a request waits (dispatch.py), without importing it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The pool (dispatch.OneRunner) running requests on this thread, if any.
runner = threading.local()


@contextmanager
def parked() -> Iterator[None]:
    """Around a wait (a sleep, a poll): the worker runs other requests meanwhile. Outside the
    served pool's threads (in process, cheroot) nothing changes."""
    dispatcher = getattr(runner, "dispatcher", None)
    if dispatcher is None or getattr(runner, "parked", False):  # not served, or already parked
        yield
        return
    runner.parked = True
    try:
        with dispatcher.parked():
            yield
    finally:
        runner.parked = False
