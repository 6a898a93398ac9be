"""Serving the app with a real multi-threaded WSGI server (cheroot), in a thread or in front."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cheroot.server import HTTPConnection, HTTPRequest
from flask import Flask

from .tls import TlsFiles

_DOUBLED_LEADING_SLASHES = re.compile(rb"^([A-Za-z]+ )/{2,}")


class _OneSlashRequestLine:
    """``rfile`` as the request line sees it: ``GET //services/...`` reads ``GET /services/...``."""

    def __init__(self, rfile: Any) -> None:
        self.rfile = rfile

    def readline(self, size: int = -1) -> bytes:
        line: bytes = self.rfile.readline(size)
        return _DOUBLED_LEADING_SLASHES.sub(rb"\1/", line)


class SalesforceRequest(HTTPRequest):
    """cheroot's request, reading a path that starts with ``//`` as the same path with one.

    jsforce joins its instance URL and ``services/data/...`` with a ``/``; the sf CLI stores
    instance URLs with a trailing ``/``, so it sends ``GET //services/data/v64.0/query``, which
    Salesforce serves. cheroot would read ``//services`` as an authority and answer 400
    "Absolute URI not allowed if server is not a proxy." before the app saw the call.
    """

    def read_request_line(self) -> bool:
        rfile = self.rfile
        self.rfile = _OneSlashRequestLine(rfile)
        try:
            return bool(super().read_request_line())  # type: ignore[no-untyped-call]
        finally:
            self.rfile = rfile


class SalesforceConnection(HTTPConnection):
    RequestHandlerClass = SalesforceRequest


class LiveServer:
    """The app served on ``host:port`` (port 0 picks a free one) by cheroot's thread pool."""

    def __init__(
        self,
        app: Flask,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: TlsFiles | None = None,
        threads: int = 16,
    ) -> None:
        self.app = app
        self.tls = tls
        self._server = wsgi.Server(
            (host, port), app, numthreads=threads, server_name="mock-salesforce"
        )
        self._server.ConnectionClass = SalesforceConnection
        if tls is not None:
            from cheroot.ssl.builtin import BuiltinSSLAdapter

            self._server.ssl_adapter = BuiltinSSLAdapter(str(tls.server_cert), str(tls.server_key))
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.bind_addr[0])

    @property
    def port(self) -> int:
        return int(self._server.bind_addr[1])

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls and self.host == "127.0.0.1" else self.host
        return f"{scheme}://{host}:{self.port}"

    def start(self) -> LiveServer:
        """Bind and serve in a background thread; returns once the port is known."""
        self._server.prepare()
        self.app.extensions["mock_salesforce"].base_url = self.url
        self._thread = threading.Thread(
            target=self._server.serve, daemon=True, name="mock-salesforce"
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.prepare()
        self.app.extensions["mock_salesforce"].base_url = self.url
        self._server.serve()

    def stop(self) -> None:
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def state_dir(db: str | None) -> Path:
    """Where the CLI keeps its TLS files: next to ``--db`` or in ``./.mock-salesforce``."""
    return Path(db) if db else Path(".mock-salesforce")
