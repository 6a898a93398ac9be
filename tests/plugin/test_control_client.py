"""The control client's own plain-HTTP calls (``_Loopback``): kept-alive connections, a
connection the server closed opened again once, failures raised as ``requests`` raises them,
and the same answers as through a ``requests`` session."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin.control_client import (
    ControlClient,
    ControlPlaneError,
    _direct_session,
)
from mock_salesforce.serving.server import LiveServer


class _Recorder(ThreadingHTTPServer):
    """Answers every request with ``{"ok": true}`` and records the client's port; with
    ``close_after_answer`` it closes the connection after each answer without saying so."""

    daemon_threads = True

    def __init__(self, close_after_answer: bool) -> None:
        self.close_after_answer = close_after_answer
        self.delay = 0.0
        self.ports: list[int] = []
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Recorder

    def do_GET(self) -> None:
        self.server.ports.append(self.client_address[1])
        time.sleep(self.server.delay)
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = self.server.close_after_answer

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(params=[False, True], ids=["kept alive", "closed after each answer"])
def recorder(request: pytest.FixtureRequest) -> Iterator[_Recorder]:
    server = _Recorder(close_after_answer=request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_calls_in_turn_share_a_connection_until_the_server_closes_it(recorder: _Recorder) -> None:
    client = ControlClient(f"http://127.0.0.1:{recorder.server_address[1]}")
    answers = [client.call("GET", "/health") for _ in range(3)]
    assert answers == [{"ok": True}] * 3, answers
    connections = len(set(recorder.ports))
    expected = 3 if recorder.close_after_answer else 1
    assert connections == expected, f"{connections} connections for 3 calls: {recorder.ports}"


def test_a_server_that_is_not_there_is_a_requests_connection_error() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as gone:
        port = gone.server_address[1]
    with pytest.raises(requests.ConnectionError):
        ControlClient(f"http://127.0.0.1:{port}").call("GET", "/orgs")


def test_the_same_answers_and_refusals_as_through_a_requests_session(
    mock_salesforce_server: object,
) -> None:
    url = mock_salesforce_server.url  # type: ignore[attr-defined]
    lean, through_requests = ControlClient(url), ControlClient(url, _direct_session())
    for client in (lean, through_requests):
        org = client.create_org("Parity")
        control = client.org(org["id"])
        control.seed_records("Contact", [{"LastName": "Kim"}, {"LastName": "Lee"}])
        names = sorted(r["LastName"] for r in control.records("Contact", include_deleted=False))
        assert names == ["Kim", "Lee"], names
        with pytest.raises(ControlPlaneError) as refused:
            client.call("GET", "/orgs/00D000000000000AAA")
        assert "-> 404" in str(refused.value), refused.value
        client.delete_org(org["id"])


def test_threads_calling_at_once_each_get_their_answer(mock_salesforce_server: object) -> None:
    client = ControlClient(mock_salesforce_server.url)  # type: ignore[attr-defined]
    results: list[object] = []

    def work() -> None:
        results.extend(client.call("GET", "/health") for _ in range(10))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 80, len(results)
    assert all(isinstance(r, dict) and r.get("status") == "ok" for r in results), results[:3]
    # The ended threads' connections are closed when the next connection opens.
    client.call("GET", "/health")
    kept = client._loopback._conns if client._loopback else {}
    assert len(kept) == 1, f"{len(kept)} connections kept after the threads ended"
    client.close()


class _DropsAfterProcessing:
    """A raw server: answers the first request of a connection, then reads (and counts) the
    second and closes without answering, as a worker restarted mid-call would."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        for number in (1, 2):
            line = reader.readline()
            if not line:
                break
            length = 0
            while (header := reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode().partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            reader.read(length)
            self.seen.append(line.decode().strip())
            if number == 1:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        conn.close()


def test_a_post_the_server_may_have_processed_is_not_sent_again() -> None:
    server = _DropsAfterProcessing()
    client = ControlClient(f"http://127.0.0.1:{server.port}")
    try:
        assert client.call("GET", "/first") == {}
        with pytest.raises(requests.ConnectionError):
            client.call("POST", "/orgs/X/records", {"object": "Contact", "records": []})
        posts = [line for line in server.seen if line.startswith("POST")]
        assert len(posts) == 1, f"the POST reached the server {len(posts)} times: {server.seen}"
    finally:
        client.close()
        server.sock.close()


def test_a_body_refused_for_its_size_gets_the_servers_refusal(tmp_path: Path) -> None:
    app = create_app({"DB_DIR": str(tmp_path), "MAX_BODY_BYTES": 200_000})
    with LiveServer(app) as server:
        client = ControlClient(server.url)
        records = [{"LastName": "x" * 1000} for _ in range(210)]  # about 215 KB of JSON
        with pytest.raises(ControlPlaneError) as refused:
            client.call("POST", "/seed", {"orgs": [{"name": "Big", "records": records}]})
        assert "-> 413" in str(refused.value), refused.value
        client.close()


class _Interrupted(Exception):
    """What a test's timeout raises in the middle of a blocked call."""


def test_a_call_interrupted_midway_leaves_the_next_call_working(recorder: _Recorder) -> None:
    client = ControlClient(f"http://127.0.0.1:{recorder.server_address[1]}")
    recorder.delay = 1.0

    def interrupt(*_: object) -> None:
        raise _Interrupted()

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(_Interrupted):
            client.call("GET", "/slow")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    recorder.delay = 0.0
    assert client.call("GET", "/after") == {"ok": True}
    client.close()
