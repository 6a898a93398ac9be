"""Requests the server refuses before the app sees them still get JSON, and one answer only."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from mock_salesforce.app import create_app
from mock_salesforce.serving.server import LiveServer

MALFORMED_CHUNKED = (
    b"POST /services/data/v59.0/sobjects/Contact HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    b'ZZZ\r\n{"LastName": "x"}\r\n0\r\n\r\nGET /services/data HTTP/1.1\r\n\r\n'
)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_app()).start()
    yield live
    live.stop()


def read_until_closed(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_malformed_chunked_body_gets_one_json_400_and_the_connection_closes(
    server: LiveServer,
) -> None:
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(MALFORMED_CHUNKED)
        received = read_until_closed(sock)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), received
    assert received.count(b"HTTP/1.1 ") == 1, f"a second answer followed: {received!r}"
    assert b"application/json" in head, head
    assert json.loads(body) == [{"message": "Invalid chunk size", "errorCode": "JSON_PARSER_ERROR"}]


def test_an_https_client_on_the_plain_port_is_refused_at_once_not_left_waiting(
    server: LiveServer,
) -> None:
    """simple-salesforce turns a bare instance host into an https:// URL: against the plain
    port its TLS handshake must fail at once, with the reason in plain text for a human."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((server.host, server.port), timeout=10) as sock,
        pytest.raises(ssl.SSLError, match=r"WRONG_VERSION_NUMBER|wrong version number"),
    ):
        context.wrap_socket(sock, server_hostname="localhost")
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01\x00\x05hello")  # the first bytes of a TLS ClientHello
        received = read_until_closed(sock)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), received
    assert "use an http:// URL" in json.loads(body)["error"], body
