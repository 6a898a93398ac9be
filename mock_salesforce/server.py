"""Serving the app with a real multi-threaded WSGI server (cheroot), in a thread or in front."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from cheroot import wsgi
from flask import Flask

from .tls import TlsFiles


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
