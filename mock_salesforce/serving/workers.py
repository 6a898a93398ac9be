"""Several worker processes on one listening socket (pre-forked), sharing one folder of orgs.

The parent binds the socket, then forks the workers; each builds its own app on the same
folder and serves the inherited socket with waitress. Every piece of org state lives in the
org's database file, so any worker answers as any other (mock_salesforce/store/). A worker
that dies is replaced; SIGTERM or SIGINT to the parent stops them all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from flask import Flask

from .balance import Balance
from .server import LiveServer


def default_workers() -> int:
    """One worker per core the process may use, at least one, at most eight."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (``kill -9``) stops too, instead of serving on alone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


class WorkerHeader:
    """WSGI middleware: every answer says which worker process served it (``X-Mock-Worker``),
    which tells a test, or someone reading a trace, where a call went."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app
        self.pid = str(os.getpid())

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.append(("X-Mock-Worker", self.pid))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


class Workers:
    """``count`` pre-forked worker processes serving ``make_app()`` on ``sock``."""

    def __init__(
        self,
        make_app: Callable[[], Flask],
        sock: socket.socket,
        count: int,
        threads: int,
        loop_runner: bool = True,
    ) -> None:
        self.make_app = make_app
        self.sock = sock
        self.count = count
        self.threads = threads
        self.loop_runner = loop_runner
        self.children: dict[int, int] = {}  # pid -> slot in the balance table
        self.balance = Balance(count)
        self._stopping = False
        self.parent = os.getpid()

    def run(self) -> int:
        """Fork the workers and keep them running until told to stop."""
        self.parent = os.getpid()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        try:
            for slot in range(self.count):
                self._spawn(slot)
            self._watch()
            self._reap()
        finally:
            if os.getpid() == self.parent:
                self.balance.close()
        return 0

    def _watch(self) -> None:
        while not self._stopping:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid not in self.children:
                continue
            slot = self.children.pop(pid)
            self.balance.leave(slot)
            if not self._stopping:
                print(f"mock-salesforce: worker {pid} ended; starting another", file=sys.stderr)
                time.sleep(0.2)
                self._spawn(slot)

    def _spawn(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _exit_with_parent(os.getppid())
                app = self.make_app()
                app.wsgi_app = WorkerHeader(app.wsgi_app)  # type: ignore[method-assign]
                LiveServer(
                    app,
                    threads=self.threads,
                    sockets=[self.sock],
                    loop_runner=self.loop_runner,
                    seat=self.balance.join(slot),
                ).serve_forever()
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        self.children[pid] = slot

    def _stop(self, signum: int, frame: object) -> None:
        if os.getpid() != self.parent:  # a worker signalled before it set its own handlers
            os._exit(0)
        self._stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _reap(self) -> None:
        deadline = time.monotonic() + 5
        while self.children and time.monotonic() < deadline:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.05)
                continue
            self.children.pop(pid, None)
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
