"""One log line per call, written by the app (whatever server runs it).

``GET /services/data/v59.0/limits 200 1.4ms user=alice@acme.demo org=00D5000000000010AAA``
on the ``mock_salesforce.requests`` logger at INFO; ``serve --quiet`` raises that logger to
WARNING. The user is the caller's username (unknown for calls without a session: ``-``).
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("mock_salesforce.requests")


class _Formatter(logging.Formatter):
    """``asctime levelname message``, the date and time worked out once per second (a busy
    server logs hundreds of lines in one)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")
        self._second = -1
        self._text = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._text = time.strftime(self.default_time_format, self.converter(record.created))
            self._second = second
        return f"{self._text},{int(record.msecs):03d}"


def configure(quiet: bool) -> None:
    """Logging for ``serve``: INFO lines on stderr (the request log's unless ``quiet``).

    Each line skips what the log does not print: where in the code it was logged, and the
    thread's and process's names (the logging HOWTO's "Optimization" section); with the time
    formatted once per second that is about half of a request line's cost.
    """
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # no caller lookup per line
    handler = logging.StreamHandler()
    handler.setFormatter(_Formatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    if quiet:
        log.setLevel(logging.WARNING)


def install(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_log)


def _started() -> None:
    g.request_log_started = time.perf_counter()


def _log(response: Response) -> Response:
    if log.isEnabledFor(logging.INFO):
        log.info("%s", line(response))
    return response


def line(response: Response) -> str:
    started: float = g.get("request_log_started", time.perf_counter())
    ms = (time.perf_counter() - started) * 1000
    entry = g.get("sf_journal")
    store = g.get("sf_org")
    user = getattr(entry, "username", None) or "-"
    org = getattr(store, "org_id", None) or (request.view_args or {}).get("org_id") or "-"
    return (
        f"{request.method} {request.path} {response.status_code} {ms:.1f}ms user={user} org={org}"
    )
