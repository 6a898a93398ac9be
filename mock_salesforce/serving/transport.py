"""A zero-network transport: a ``requests`` adapter that hands each call to the WSGI app.

Mount it on a ``requests.Session`` for any host (``https://login.salesforce.com``,
``https://mock.my.salesforce.com``, ...) and the same client code runs against the same store
without a socket. The Host header is preserved, so the mock sees which host was called.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

IN_PROCESS = "mock_salesforce.in_process"


class WSGIAdapter(BaseAdapter):
    """Serves ``requests`` calls from a WSGI application in process."""

    def __init__(self, wsgi_app: Any) -> None:
        super().__init__()
        self.wsgi_app = wsgi_app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        environ = wsgi_environ(request)
        captured: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return written.append

        app_iter = self.wsgi_app(environ, start_response)
        try:
            content = b"".join([*written, *app_iter])
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        status, header_list = captured
        code, _, reason = status.partition(" ")
        response = requests.Response()
        response.status_code = int(code)
        response.headers = CaseInsensitiveDict(dict(header_list))
        response.raw = Body(content, response.headers, response.status_code, reason)
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]  # iter_content slices the content
        response.encoding = "utf-8"
        response.reason = reason
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        return None


class Body(io.BytesIO):
    """``response.raw``: the whole answer, readable like the stream a socket would give.

    urllib3's ``HTTPResponse`` would do, at a fifth of an in-process call's transport cost;
    this keeps what ``requests`` and clients use of it: ``read``, ``stream``, ``headers``,
    ``status``, ``reason``, ``release_conn``, and no ``_original_response`` (no cookies of a
    socket to extract).
    """

    _original_response = None

    def __init__(self, content: bytes, headers: Any, status: int, reason: str) -> None:
        super().__init__(content)
        self.headers = headers
        self.status = status
        self.reason = reason

    def read(self, amt: int | None = None, decode_content: bool | None = None) -> bytes:
        return super().read(amt)

    def stream(self, amt: int = 2**16, decode_content: bool | None = None) -> Iterator[bytes]:
        while chunk := self.read(amt):
            yield chunk

    def release_conn(self) -> None:
        return None


def wsgi_environ(request: requests.PreparedRequest) -> dict[str, Any]:
    """The WSGI environ of ``request``, as a server would build it (what werkzeug's
    ``EnvironBuilder`` makes, built directly: a third of an in-process call's own cost)."""
    url = urlsplit(request.url or "")
    body = request.body.encode() if isinstance(request.body, str) else request.body or b""
    if not isinstance(body, bytes):  # a file-like or iterable body
        body = body.read() if hasattr(body, "read") else b"".join(body)
    # "//services/..." is a path here, as on the socket (server.SalesforceRequest), not an
    # authority followed by "/...".
    raw_path = "/" + url.path.lstrip("/")
    secure = url.scheme == "https"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method or "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
        "QUERY_STRING": url.query,
        "REQUEST_URI": raw_path + ("?" + url.query if url.query else ""),
        "RAW_URI": raw_path + ("?" + url.query if url.query else ""),
        "SERVER_NAME": url.hostname or "localhost",
        "SERVER_PORT": str(url.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": url.netloc,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        IN_PROCESS: True,  # no socket: the control plane's host guard does not apply
    }
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":  # an explicit Host header wins, as on a socket
            environ["HTTP_" + key] = value
    return environ


def in_process_session(wsgi_app: Any, *prefixes: str) -> requests.Session:
    """A ``requests.Session`` whose calls to ``prefixes`` (default: every URL) go in process."""
    session = requests.Session()
    # Nothing here goes through a proxy: skip reading proxy settings from the environment on
    # every call (a third of an in-process call's client-side time).
    session.trust_env = False
    adapter = WSGIAdapter(wsgi_app)
    for prefix in prefixes or ("http://", "https://"):
        session.mount(prefix, adapter)
    return session
