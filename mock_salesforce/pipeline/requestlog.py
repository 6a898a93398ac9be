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
        return self.stamp(record.created)

    def stamp(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._text = time.strftime(self.default_time_format, self.converter(created))
            self._second = second
        return f"{self._text},{int((created - second) * 1000):03d}"


class _ServeHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """``serve``'s handler on stderr. While it is the only one a request line would reach,
    the line is written to it directly (``_log``): the same text, without a log record."""

    def write_line(self, text: str, formatter: _Formatter) -> None:
        with self.lock:  # type: ignore[union-attr]
            try:
                self.stream.write(f"{formatter.stamp(time.time())} INFO {text}\n")
                self.stream.flush()
            except Exception:  # as logging does: a broken stderr never fails the call
                self.handleError(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))


_serve_handler: _ServeHandler | None = None


def _direct() -> _ServeHandler | None:
    """``serve``'s handler, when a request line would reach it and nothing else: no handler,
    filter or level added on the way since ``configure`` (else the line goes through
    ``logging``)."""
    handler = _serve_handler
    if handler is None or handler.filters or handler.level > logging.INFO:
        return None
    if not isinstance(handler.formatter, _Formatter):  # someone set another format
        return None
    if logging.root.manager.disable >= logging.INFO:
        return None
    logger: logging.Logger | None = log
    while logger is not None:  # the request logger, "mock_salesforce", the root
        if logger.filters or logger.disabled:
            return None
        if logger is logging.root:
            return handler if logger.handlers == [handler] else None
        if logger.handlers or not logger.propagate:
            return None
        logger = logger.parent
    return None


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
    global _serve_handler
    handler = _ServeHandler()
    handler.setFormatter(_Formatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    _serve_handler = handler if logging.root.handlers == [handler] else None
    if quiet:
        log.setLevel(logging.WARNING)


def install(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_log)


def _started() -> None:
    g.request_log_started = time.perf_counter()


def _log(response: Response) -> Response:
    if log.isEnabledFor(logging.INFO):
        write(line(response))
    return response


def write(text: str) -> None:
    """A request line, on ``serve``'s handler directly when nothing else would see it."""
    handler = _direct()
    if handler is not None:
        handler.write_line(text, handler.formatter)  # type: ignore[arg-type]
    else:
        log.info("%s", text)


def line(response: Response) -> str:
    started: float = g.get("request_log_started", time.perf_counter())
    ms = (time.perf_counter() - started) * 1000
    entry = g.get("sf_journal")
    store = g.get("sf_org")
    user = getattr(entry, "username", None)
    org = getattr(store, "org_id", None) or (request.view_args or {}).get("org_id")
    return text(request.method, request.path, response.status_code, ms, user, org)


def text(method: str, path: str, status: int, ms: float, user: str | None, org: str | None) -> str:
    return f"{method} {path} {status} {ms:.1f}ms user={user or '-'} org={org or '-'}"
