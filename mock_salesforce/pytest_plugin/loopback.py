"""Plain-HTTP calls to the control plane on kept-alive connections (``ControlClient``'s own).

What ``requests`` does around a call costs about as much again as the round trip on loopback
(its preparation, urllib3's pool, the response objects). The control plane needs none of it:
no proxies, cookies or redirects, JSON in and out. This client keeps one connection per
thread and behaves as the ``requests`` path did where a caller could tell:

- failures raise ``requests``' exceptions (``ConnectionError``, ``ConnectTimeout``,
  ``ReadTimeout``, ``InvalidJSONError``, ``JSONDecodeError``);
- a kept connection the server has closed (idle for two minutes, a restarted server) is
  noticed before it is used, as urllib3 does, and a request is sent again only if it is a
  GET that failed before any answer came: a POST is never sent twice;
- anything that interrupts a call (a test timeout, Ctrl-C) closes its connection.

``ControlClient`` sends through ``requests`` what this client would not say the same way:
large bodies (``requests`` reads a server's early refusal of one: 413) and paths with
characters other than letters, digits, ``/ _ - . @ ~`` and spaces.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import select
import threading
import weakref
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from requests.utils import requote_uri

LARGEST_BODY = 256 * 1024
_SAFE_PATH = re.compile(r"[A-Za-z0-9/_\-.@~ ]*")
_RESENDABLE = {"GET", "HEAD", "OPTIONS"}
_CLOSED_UNDER_US = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Loopback:
    """Kept-alive connections to one plain ``http://`` server, one per thread."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        # By thread: its connection, and whether a call is using it. Closed with the client,
        # or when it is collected; the connection of a thread that ended, when the next is
        # opened.
        self._conns: dict[int, http.client.HTTPConnection] = {}
        self._busy: set[int] = set()
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._conns, self._lock)

    @staticmethod
    def says_the_same(path: str, body: bytes | None) -> bool:
        """Whether this client sends ``path`` and ``body`` as ``requests`` would."""
        small = body is None or len(body) <= LARGEST_BODY
        return small and "/." not in path and _SAFE_PATH.fullmatch(path) is not None

    def close(self) -> None:
        """Close every connection; the client stays usable (a later call opens a new one)."""
        _close_all(self._conns, self._lock)

    def request(
        self,
        method: str,
        path: str,
        query: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
    ) -> tuple[int, bytes]:
        threading.current_thread()  # a thread not started by `threading` is then listed
        ident = threading.get_ident()
        target = self.prefix + requote_uri(path) + (f"?{query}" if query else "")
        for attempt in (1, 2):
            conn, kept = self._take(ident, timeout)
            try:
                if conn.sock is None:
                    _connect(conn, method, path)
                # The server may answer before it has read the whole body (a refusal of its
                # size) and close: that answer is read, as urllib3 does.
                with contextlib.suppress(*_CLOSED_UNDER_US):
                    conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except BaseException as exc:
                self._drop(ident, conn)
                resend = kept and attempt == 1 and method in _RESENDABLE
                if resend and isinstance(exc, _CLOSED_UNDER_US):
                    continue
                if isinstance(exc, requests.RequestException):  # from _connect, as made
                    raise
                if isinstance(exc, (OSError, http.client.HTTPException)):
                    raise _as_requests_error(exc, method, path) from exc
                raise  # anything else (a test's timeout, Ctrl-C) as it was raised
            finally:
                with self._lock:
                    self._busy.discard(ident)
            if response.will_close:
                self._drop(ident, conn)
            return response.status, data
        raise AssertionError("unreachable")  # pragma: no cover

    def _take(self, ident: int, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection (``kept``: it was open before this call)."""
        with self._lock:
            conn = self._conns.get(ident)
            if conn is not None and conn.sock is not None and _dropped(conn):
                conn.close()  # the server closed it while it was idle
            if conn is None:
                alive = {thread.ident for thread in threading.enumerate()}
                for other in [i for i in self._conns if i not in alive and i not in self._busy]:
                    self._conns.pop(other).close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                self._conns[ident] = conn
            self._busy.add(ident)
            return conn, conn.sock is not None

    def _drop(self, ident: int, conn: http.client.HTTPConnection) -> None:
        conn.close()
        with self._lock:
            if self._conns.get(ident) is conn:
                del self._conns[ident]


def _connect(conn: http.client.HTTPConnection, method: str, path: str) -> None:
    try:
        conn.connect()
    except TimeoutError as exc:
        raise requests.exceptions.ConnectTimeout(f"{method} {path}: {exc}") from exc
    except OSError as exc:
        raise requests.ConnectionError(f"{method} {path}: {exc}") from exc


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """An idle kept connection with something to read has been closed by the server (or is
    out of step): it is not used again."""
    try:
        readable, _, _ = select.select([conn.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _as_requests_error(exc: Exception, method: str, path: str) -> requests.RequestException:
    if isinstance(exc, TimeoutError):
        return requests.exceptions.ReadTimeout(f"{method} {path}: {exc}")
    return requests.ConnectionError(f"{method} {path}: {exc}")


def _close_all(conns: dict[int, http.client.HTTPConnection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns.values():
            conn.close()
        conns.clear()


def encode_query(params: dict[str, Any]) -> str:
    """Query parameters as ``requests`` encodes them: ``None`` left out, alone or in a list."""
    pairs: list[tuple[str, Any]] = []
    for key, values in params.items():
        items = values if isinstance(values, (list, tuple)) else [values]
        pairs.extend((key, value) for value in items if value is not None)
    return urlencode(pairs)


def encode_json(value: Any) -> bytes:
    """A JSON body as ``requests`` encodes one (``NaN`` and infinities refused)."""
    try:
        return json.dumps(value, allow_nan=False).encode()
    except ValueError as exc:
        raise requests.exceptions.InvalidJSONError(exc) from exc


def decode_json(data: bytes) -> Any:
    """A JSON answer; one that is not JSON raises ``requests``' ``JSONDecodeError``."""
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise requests.exceptions.JSONDecodeError(str(exc), "", 0) from exc
    except json.JSONDecodeError as exc:
        raise requests.exceptions.JSONDecodeError(exc.msg, exc.doc, exc.pos) from exc
