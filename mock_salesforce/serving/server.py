"""Serving the app with a real WSGI server (waitress; cheroot for TLS), in a thread or in front."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cheroot.server import HTTPConnection, HTTPRequest
from flask import Flask

from .balance import LOOP_TIMEOUT_SECONDS, Seat, balanced_server_class
from .dispatch import LoopRunner
from .tls import TlsFiles

log = logging.getLogger("mock_salesforce")
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
    """The app served on ``host:port`` (port 0 picks a free one), in a thread or in front.

    Plain HTTP is served by waitress: it reads each request whole before a worker thread sees
    it, so idle or half-sent connections cost a buffer, never a thread (docs/performance.md).
    HTTPS (``tls``) is served by cheroot's thread pool, which waitress cannot do.
    """

    def __init__(
        self,
        app: Flask,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: TlsFiles | None = None,
        threads: int = 16,
        sockets: list[socket.socket] | None = None,
        loop_runner: bool = True,
        seat: Seat | None = None,
    ) -> None:
        self.app = app
        self.tls = tls
        self._thread: threading.Thread | None = None
        self._cheroot: wsgi.Server | None = None
        self._waitress: Any = None
        if tls is not None:
            self._cheroot = _cheroot_server(app, host, port, tls, threads)
        else:
            self._waitress = _waitress_server(app, host, port, threads, sockets, loop_runner, seat)

    @property
    def host(self) -> str:
        if self._cheroot is not None:
            return str(self._cheroot.bind_addr[0])
        return str(self._waitress.effective_host)

    @property
    def port(self) -> int:
        if self._cheroot is not None:
            return int(self._cheroot.bind_addr[1])
        return int(self._waitress.effective_port)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls and self.host == "127.0.0.1" else self.host
        return f"{scheme}://{host}:{self.port}"

    def prepare(self) -> LiveServer:
        """Bind (the port is known after this) and tell the app its URL."""
        if self._cheroot is not None and not self._cheroot.ready:
            self._cheroot.prepare()
        state = self.app.extensions.get("mock_salesforce")
        if state is not None and not self.app.config.get("BASE_URL"):
            state.base_url = self.url
        return self

    def start(self) -> LiveServer:
        """Bind and serve in a background thread; returns once the port is known."""
        self.prepare()
        self._thread = threading.Thread(target=self._run, daemon=True, name="mock-salesforce")
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.prepare()
        self._run()

    def _run(self) -> None:
        if self._cheroot is not None:
            self._cheroot.serve()
            return
        server = self._waitress
        pool = server.task_dispatcher
        if isinstance(pool, LoopRunner):
            adj = server.adj
            pool.serve(_socket_map(server), adj.asyncore_loop_timeout, adj.asyncore_use_poll)
        else:
            server.run()

    def stop(self) -> None:
        if self._cheroot is not None:
            self._cheroot.stop()
        elif self._thread is not None and self._thread.is_alive():
            # Close every channel from the server's own loop (closing them from this thread
            # races the loop's poll): the loop ends once nothing is left to watch.
            server = self._waitress
            pool = server.task_dispatcher
            if isinstance(pool, LoopRunner):
                pool.drain(5.0)  # the requests running are answered first
            try:
                server.trigger.pull_trigger(lambda: _close_all(server._map))
            except OSError:  # the loop already closed its trigger: it is ending on its own
                server.close()
        else:
            self._waitress.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._waitress is not None:
            self._waitress.task_dispatcher.shutdown()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _socket_map(server: Any) -> dict[int, Any]:
    """A waitress server's socket map (one server's ``_map``; several sockets': ``map``)."""
    return server._map if hasattr(server, "_map") else server.map  # type: ignore[no-any-return]


def _close_all(socket_map: dict[int, Any]) -> None:
    """Close every socket of a waitress loop; a connection's output buffers too (a large
    answer spills them to temporary files)."""
    for dispatcher in list(socket_map.values()):
        if hasattr(dispatcher, "outbufs"):
            dispatcher.handle_close()
        else:
            dispatcher.close()


def _cheroot_server(app: Flask, host: str, port: int, tls: TlsFiles, threads: int) -> wsgi.Server:
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    server = wsgi.Server((host, port), app, numthreads=threads, server_name="mock-salesforce")
    server.ConnectionClass = SalesforceConnection
    server.ssl_adapter = BuiltinSSLAdapter(str(tls.server_cert), str(tls.server_key))
    return server


def _framing_error_body(path: str, code: int, message: str) -> list[Any] | dict[str, str]:
    # (413: the body is over the app's MAX_BODY_BYTES, refused before it is read)
    """A request waitress refused before the app saw it (a malformed chunked body, headers too
    large), in the shape the route would answer in: JSON, never plain text."""
    if path.startswith("/_mock"):
        return {"error": message}
    if path.startswith("/services/oauth2"):
        return {"error": "invalid_request", "error_description": message}
    error_code = "JSON_PARSER_ERROR" if code == 400 else "REQUEST_ENTITY_TOO_LARGE"
    return [{"message": message, "errorCode": error_code if code in (400, 413) else "BAD_REQUEST"}]


# A TLS record of type handshake (a ClientHello) starts with these bytes.
TLS_HANDSHAKE = b"\x16\x03"
PLAIN_ONLY = (
    "this port serves plain HTTP: use an http:// URL, or start the mock with --tls for https://"
)


def _send_now(task: Any) -> None:
    """Send what ``task`` wrote (its whole answer, as it has finished) from the thread that
    ran it, rather than waiting for the event loop's next poll (``SEND_BYTES``)."""
    channel = task.channel
    if channel.total_outbufs_len and channel.connected:
        with channel.outbuf_lock:
            channel._flush_exception(channel._flush_some, do_close=False)


def _waitress_channel(body_cap: int | None) -> Any:
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask, WSGITask

    class SalesforceTask(WSGITask):  # type: ignore[misc]
        def write(self, data: bytes) -> None:
            super().write(data)
            if self.content_length is None or self.content_bytes_written < self.content_length:
                _send_now(self)  # a streamed answer: each part leaves as it is written

        def finish(self) -> None:
            super().finish()
            _send_now(self)

    class SalesforceErrorTask(ErrorTask):  # type: ignore[misc]
        def finish(self) -> None:
            super().finish()
            _send_now(self)

        def execute(self) -> None:
            error = self.request.error
            path = str(getattr(self.request, "path", "") or "")
            message = str(error.body)
            if error.code == 413 and body_cap is not None:
                message = f"The request body is larger than the maximum of {body_cap} bytes."
            body = json.dumps(_framing_error_body(path, error.code, message)).encode()
            self.status = f"{error.code} {error.reason}"
            self.response_headers.append(("Content-Type", "application/json;charset=UTF-8"))
            self.set_close_on_finish()  # whatever follows on this connection is not read
            self.content_length = len(body)
            self.write(body)

    class SalesforceChannel(HTTPChannel):  # type: ignore[misc]
        task_class = SalesforceTask
        error_task_class = SalesforceErrorTask
        first_bytes = True

        def handle_write(self) -> None:
            # While a request runs, waitress sends only once SEND_BYTES are waiting; what a
            # request has written is sent as soon as the loop sees it (waitress's default).
            if self.requests and 0 < self.total_outbufs_len < self.adj.send_bytes:
                self._flush_exception(self._flush_some_if_lockable)
                if self.will_close:
                    self.handle_close()
                return
            super().handle_write()

        def received(self, data: bytes) -> bool:
            if self.first_bytes and data:
                self.first_bytes = False
                if data[:2] == TLS_HANDSHAKE:
                    self._refuse_tls()
                    return False
            return bool(super().received(data))

        def _refuse_tls(self) -> None:
            """A TLS client on the plain-HTTP port (an ``https://`` URL, as simple-salesforce
            builds from a bare host name): answered at once in plain HTTP, which its TLS layer
            reports as an error, instead of both sides waiting for the other until the idle
            timeout."""
            log.warning("TLS handshake from %s on the plain-HTTP port: %s", self.addr, PLAIN_ONLY)
            body = json.dumps({"error": PLAIN_ONLY}).encode()
            head = (
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=UTF-8\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            self.write_soon(head.encode() + body)
            self.close_when_flushed = True

    return SalesforceChannel


class _WithoutConnectionHeader:
    """WSGI middleware for waitress, which refuses a ``Connection`` header from the app (PEP
    3333 hop-by-hop). The app sets ``Connection: close`` so that cheroot stops reading a body
    it refused; waitress has read every body whole (or refused it itself) before the app sees
    the request, so there is nothing left to stop reading."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if k.lower() != "connection"]
            return start_response(status, kept, exc_info)

        return self.wsgi_app(environ, start)


# Bytes an answer may gather before they are sent while it is still being written.
SEND_BYTES = 64 * 1024

# Connections held open at once (idle keep-alive and half-sent ones included) before waitress
# stops accepting; each costs a socket and a small buffer, not a thread.
CONNECTION_LIMIT = 2000


def _adjustments(sockets: list[socket.socket], options: dict[str, Any]) -> Any:
    from waitress.adjustments import Adjustments

    adj = Adjustments(sockets=sockets, **options)
    # Set after: Adjustments reads this option as an int (0.2 would become a busy loop).
    adj.asyncore_loop_timeout = LOOP_TIMEOUT_SECONDS
    return adj


def _waitress_server(
    app: Flask,
    host: str,
    port: int,
    threads: int,
    sockets: list[socket.socket] | None,
    loop_runner: bool = True,
    seat: Seat | None = None,
) -> Any:
    """Waitress with the mock's pool (dispatch.LoopRunner: the loop's thread runs the requests),
    or waitress's own (``loop_runner`` false: the bench's second baseline, docs/performance.md).
    A pre-forked worker's ``seat`` decides when it takes new connections on the shared
    ``sockets`` (balance.py)."""
    from waitress.server import BaseWSGIServer, create_server
    from waitress.task import ThreadedTaskDispatcher

    body_cap = app.config.get("MAX_BODY_BYTES")
    options: dict[str, Any] = {
        "threads": threads,
        "connection_limit": CONNECTION_LIMIT,
        # poll(), not select(): select() cannot watch a descriptor numbered 1024 or more, and
        # the event loop died with about a thousand connections open.
        "asyncore_use_poll": True,
        "channel_timeout": 120,
        "ident": "mock-salesforce",
        "clear_untrusted_proxy_headers": True,
        "expose_tracebacks": False,
    }
    if body_cap is not None:  # refused on its Content-Length, before the body is read
        options["max_request_body_size"] = int(body_cap)
    served = _WithoutConnectionHeader(app)
    pool = LoopRunner() if loop_runner else ThreadedTaskDispatcher()
    pool.set_thread_count(threads)
    if seat is not None and sockets is not None and len(sockets) == 1:
        sock = sockets[0]
        server = balanced_server_class()(
            served,
            {},
            True,
            sock,
            dispatcher=pool,
            adj=_adjustments(sockets, options),
            bind_socket=False,
            sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
        )
        server.seat = seat
        seat.attach(server._map)
    elif sockets is not None:
        server = create_server(served, sockets=sockets, _dispatcher=pool, **options)
    else:
        server = create_server(served, host=host, port=port, _dispatcher=pool, **options)
    server.channel_class = _waitress_channel(int(body_cap) if body_cap is not None else None)
    if isinstance(pool, LoopRunner):
        # An answer is sent when its request is done (``_send_now``), head and body in one
        # send, not as each is written (waitress's default, 1 byte: two sends). Set after:
        # passed to waitress, the option is deprecated.
        server.adj.send_bytes = SEND_BYTES
        for listener in list(_socket_map(server).values()):
            if isinstance(listener, BaseWSGIServer):
                listener.pull_trigger = pool.quiet(listener.pull_trigger)
                pool.waker = listener.trigger.pull_trigger
    return server


def state_dir(db: str | None) -> Path:
    """Where the CLI keeps its TLS files: next to ``--db`` or in ``./.mock-salesforce``."""
    return Path(db) if db else Path(".mock-salesforce")
