"""The served loop runs the requests it reads on its own thread, one at a time, and moves to
another thread when one waits or runs long (mock_salesforce/serving/dispatch.py): the same
answers with no hand-off per call, and no request held up for long behind a slow one."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from flask import Flask, Response

from mock_salesforce.serving.parking import parked
from mock_salesforce.serving.server import LiveServer

WAIT_SECONDS = 10.0
# A streamed answer well past waitress's output buffer (16 MB), which only the event loop
# sends on once it is that full.
BIG_CHUNK = 8 * 1024 * 1024
BIG_CHUNKS = 5


class Probe:
    """A small app whose routes record how many requests run at once."""

    def __init__(self) -> None:
        self.app = Flask(__name__)
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.other_ran = threading.Event()
        self.release = threading.Event()
        self.app.add_url_rule("/work", "work", self.work)
        self.app.add_url_rule("/other", "other", self.other)
        self.app.add_url_rule("/parked", "parked", self.waits_parked)
        self.app.add_url_rule("/busy", "busy", self.waits_unannounced)
        self.app.add_url_rule("/thread", "thread", lambda: {"thread": threading.get_ident()})
        self.app.add_url_rule("/big", "big", self.big)
        self.app.add_url_rule("/held", "held", self.held)
        self.app.add_url_rule("/spin", "spin", self.spin)

    def _enter(self) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)

    def _leave(self) -> None:
        with self.lock:
            self.running -= 1

    def work(self) -> dict[str, int]:
        self._enter()
        try:
            total = sum(range(20_000))  # a little CPU, and letting go of the GIL meanwhile
            time.sleep(0)
            return {"total": total}
        finally:
            self._leave()

    def other(self) -> dict[str, bool]:
        self.other_ran.set()
        return {"ok": True}

    def waits_parked(self) -> dict[str, bool]:
        with parked():
            seen = self.other_ran.wait(WAIT_SECONDS)
        return {"other_ran_meanwhile": seen}

    def spin(self) -> dict[str, bool]:
        until = time.monotonic() + 0.2  # holds the loop's thread, unannounced
        while time.monotonic() < until:
            pass
        return {"ok": True}

    def held(self) -> dict[str, bool]:
        with parked():
            released = self.release.wait(WAIT_SECONDS)
        return {"released": released}

    def big(self) -> Response:
        chunk = b"x" * BIG_CHUNK

        def chunks() -> Iterator[bytes]:
            for _ in range(BIG_CHUNKS):
                yield chunk

        return Response(chunks(), mimetype="application/octet-stream")

    def waits_unannounced(self) -> dict[str, bool]:
        seen = self.other_ran.wait(WAIT_SECONDS)  # as a slow query or a slow client would
        return {"other_ran_meanwhile": seen}


def _served(threads: int) -> Iterator[tuple[Probe, LiveServer]]:
    """A probe app on a live server with ``threads`` threads and no poll timeout."""
    probe = Probe()
    server = LiveServer(probe.app, threads=threads).start()
    _no_poll_timeout(server)
    try:
        yield probe, server
    finally:
        server.stop()


@pytest.fixture
def probe() -> Iterator[tuple[Probe, LiveServer]]:
    yield from _served(8)


def _no_poll_timeout(server: LiveServer) -> None:
    """The loop waits in its poll until something wakes it: a wake-up lost anywhere makes a
    test time out, instead of costing the poll's usual timeout."""
    server._waitress.task_dispatcher.timeout = 3600.0


def _slice(server: LiveServer, seconds: float) -> None:
    server._waitress.task_dispatcher.slice = seconds


def test_short_requests_on_eight_connections_run_one_at_a_time(
    probe: tuple[Probe, LiveServer],
) -> None:
    app, server = probe
    _slice(server, 30.0)  # no request here runs that long, even on a loaded machine

    def client(_: int) -> list[int]:
        with requests.Session() as http:
            return [http.get(f"{server.url}/work", timeout=30).status_code for _ in range(25)]

    with ThreadPoolExecutor(8) as pool:
        codes = [code for batch in pool.map(client, range(8)) for code in batch]
    assert codes == [200] * 200, codes
    assert app.most == 1, f"{app.most} requests ran at once"


def test_a_request_that_parks_lets_the_next_one_run(probe: tuple[Probe, LiveServer]) -> None:
    _app, server = probe
    _slice(server, 30.0)  # only parking can let /other in before /parked gives up
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(requests.get, f"{server.url}/parked", timeout=30)
        time.sleep(0.2)
        other = requests.get(f"{server.url}/other", timeout=30)
        answer = waiting.result()
    assert other.status_code == 200, other.text
    assert answer.json() == {"other_ran_meanwhile": True}, answer.text


def test_a_request_running_past_its_slice_lets_the_next_one_start(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    _slice(server, 0.05)
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(requests.get, f"{server.url}/busy", timeout=30)
        time.sleep(0.2)
        started = time.perf_counter()
        other = requests.get(f"{server.url}/other", timeout=30)
        elapsed = time.perf_counter() - started
        answer = waiting.result()
    assert other.status_code == 200, other.text
    assert answer.json() == {"other_ran_meanwhile": True}, f"{answer.text} after {elapsed:.2f}s"


def test_requests_in_turn_run_on_the_loops_own_thread_without_waking_it(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    _slice(server, 30.0)  # on a loaded machine a request may run past 20 ms
    trigger = server._waitress.trigger
    pulls = []
    physical = trigger._physical_pull
    trigger._physical_pull = lambda: (pulls.append(1), physical())[1]
    try:
        with requests.Session() as http:
            threads = [
                http.get(f"{server.url}/thread", timeout=30).json()["thread"] for _ in range(20)
            ]
    finally:
        trigger._physical_pull = physical
    loop_thread = server._waitress.task_dispatcher.leader
    assert set(threads) == {loop_thread}, f"ran on {set(threads)}, the loop on {loop_thread}"
    assert len(pulls) <= 2, f"the loop's wake-up pipe was written {len(pulls)} times for 20 calls"


def test_a_request_that_parks_moves_the_loop_and_the_next_request_to_another_thread(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    _slice(server, 30.0)
    with ThreadPoolExecutor(1) as pool:
        loop_thread = requests.get(f"{server.url}/thread", timeout=30).json()["thread"]
        waiting = pool.submit(requests.get, f"{server.url}/parked", timeout=30)
        time.sleep(0.2)
        during = requests.get(f"{server.url}/thread", timeout=30).json()["thread"]
        requests.get(f"{server.url}/other", timeout=30)
        assert waiting.result().json() == {"other_ran_meanwhile": True}
    assert during != loop_thread, "the call made while another waited ran on the waiting thread"


def test_a_streamed_answer_larger_than_the_output_buffer_reaches_a_slow_reader_whole(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    with requests.get(f"{server.url}/big", stream=True, timeout=30) as answer:
        time.sleep(0.5)  # the app has written all it can; waitress's buffer is full
        other = requests.get(f"{server.url}/other", timeout=30)
        received = sum(len(part) for part in answer.iter_content(1024 * 1024))
    assert answer.status_code == 200
    assert received == BIG_CHUNK * BIG_CHUNKS, f"{received} bytes of {BIG_CHUNK * BIG_CHUNKS}"
    assert other.status_code == 200, other.text


def test_an_answer_leaves_in_one_send(probe: tuple[Probe, LiveServer]) -> None:
    _app, server = probe
    channel_class = server._waitress.channel_class
    sends: list[int] = []
    send = channel_class.send

    def counted(self: object, data: bytes, do_close: bool = True) -> int:
        sends.append(len(data))  # before the send: the client may read the answer at once
        return int(send(self, data, do_close))

    channel_class.send = counted
    try:
        with requests.Session() as http:
            codes = [http.get(f"{server.url}/other", timeout=30).status_code for _ in range(20)]
    finally:
        channel_class.send = send
    assert codes == [200] * 20, codes
    assert len(sends) == 20, f"20 answers took {len(sends)} sends: {sends}"


def _pipelined(server: LiveServer, *paths: str) -> socket.socket:
    """A connection with ``paths`` sent on it at once (HTTP/1.1 pipelining)."""
    sock = socket.create_connection((server.host, server.port), timeout=30)
    sock.sendall(b"".join(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for path in paths))
    sock.settimeout(WAIT_SECONDS / 2)  # a read times out if its answer is held back
    return sock


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        more = sock.recv(65536)
        assert more, f"closed after {data!r}"
        data += more
    return data


def test_an_answer_is_sent_before_the_pipelined_request_after_it_runs(
    probe: tuple[Probe, LiveServer],
) -> None:
    app, server = probe
    _slice(server, 30.0)
    with _pipelined(server, "/thread", "/parked") as sock:
        first = _read_until(sock, b'"thread"')
        app.other_ran.set()  # lets /parked finish
        rest = _read_until(sock, b"other_ran_meanwhile")
    assert first.startswith(b"HTTP/1.1 200") and b"other_ran" not in first, first
    assert rest.startswith(b"HTTP/1.1 200"), rest


@pytest.fixture
def one_thread() -> Iterator[tuple[Probe, LiveServer]]:
    yield from _served(1)


def test_with_one_thread_a_streamed_answer_past_the_output_buffer_still_arrives(
    one_thread: tuple[Probe, LiveServer],
) -> None:
    _app, server = one_thread
    with requests.get(f"{server.url}/big", stream=True, timeout=30) as answer:
        time.sleep(0.5)  # waitress's buffer fills: only the event loop can send it on
        received = sum(len(part) for part in answer.iter_content(1024 * 1024))
    assert received == BIG_CHUNK * BIG_CHUNKS, f"{received} bytes of {BIG_CHUNK * BIG_CHUNKS}"
    assert requests.get(f"{server.url}/other", timeout=30).status_code == 200


def test_with_one_thread_a_request_waits_for_the_parked_one_then_is_answered(
    one_thread: tuple[Probe, LiveServer],
) -> None:
    app, server = one_thread
    _slice(server, 30.0)
    with ThreadPoolExecutor(2) as pool:
        waiting = pool.submit(requests.get, f"{server.url}/parked", timeout=30)
        time.sleep(0.2)
        # One request at a time with one thread: this one waits for /parked to finish, but the
        # loop still reads it, and the answer leaves as soon as it is done.
        queued = pool.submit(requests.get, f"{server.url}/other", timeout=30)
        time.sleep(0.2)
        assert not queued.done(), "a second request ran while the only thread was parked"
        app.other_ran.set()  # /parked may finish
        answer = waiting.result()
        assert queued.result().status_code == 200
    assert answer.json() == {"other_ran_meanwhile": True}, answer.text


def test_an_answer_is_sent_before_the_requests_read_with_it_run(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    _slice(server, 30.0)
    pool = server._waitress.task_dispatcher
    channel_class = server._waitress.channel_class
    seen: list[tuple[int, int]] = []  # (requests waiting to run, bytes still buffered)
    service = channel_class.service

    def served(self: Any) -> None:
        service(self)
        seen.append((len(pool.queue), self.total_outbufs_len))

    sessions = [requests.Session() for _ in range(3)]
    for http in sessions:  # connected before: the three requests are read in one poll
        http.get(f"{server.url}/other", timeout=30)
    channel_class.service = served
    try:
        with ThreadPoolExecutor(4) as clients:
            holding = clients.submit(requests.get, f"{server.url}/spin", timeout=30)
            time.sleep(0.05)  # the three below arrive while /spin holds the loop
            others = [clients.submit(h.get, f"{server.url}/other", timeout=30) for h in sessions]
            codes = [holding.result().status_code] + [o.result().status_code for o in others]
        deadline = time.monotonic() + WAIT_SECONDS
        while len(seen) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)  # a request's service ends just after its answer is sent
    finally:
        channel_class.service = service
        for http in sessions:
            http.close()
    assert codes == [200] * 4, codes
    assert any(waiting for waiting, _left in seen), f"no request ran with others waiting: {seen}"
    assert all(left == 0 for waiting, left in seen if waiting), seen


def test_a_pipelined_answer_is_not_held_behind_the_parked_request_after_it(
    probe: tuple[Probe, LiveServer],
) -> None:
    app, server = probe
    _slice(server, 30.0)
    with _pipelined(server, "/parked", "/held") as sock:
        time.sleep(0.2)
        app.other_ran.set()  # the first finishes (on the thread it parked on); /held waits
        first = _read_until(sock, b"other_ran_meanwhile")
        app.release.set()
        rest = _read_until(sock, b"released")
    assert first.startswith(b"HTTP/1.1 200") and b"released" not in first, first
    assert rest.startswith(b"HTTP/1.1 200"), rest


_SIGNALLED_SERVER = """
import signal, sys, time
from flask import Flask
from mock_salesforce.serving.server import LiveServer

app = Flask("signalled")


@app.route("/slow")
def slow():
    time.sleep(1.0)
    return b"x" * 8_000_000  # more than the socket takes at once


def interrupt(signum, frame):
    raise KeyboardInterrupt


server = LiveServer(app, threads=4).prepare()
server._waitress.adj.asyncore_loop_timeout = 3600  # a lost wake-up holds the exit up
print(server.port, flush=True)
signal.signal(signal.SIGTERM, interrupt)
server.serve_forever()
print("stopped", flush=True)
"""


def test_a_signal_during_a_request_stops_the_server_once_that_request_is_answered() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _SIGNALLED_SERVER], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        with requests.get(f"http://127.0.0.1:{port}/slow", stream=True, timeout=30) as answer:
            time.sleep(0.3)  # the request is running
            child.send_signal(signal.SIGTERM)
            time.sleep(1.5)  # a slow reader: the request is done, its answer not all sent
            received = sum(len(part) for part in answer.iter_content(65536))
        child.wait(timeout=4)  # at once: the loop is woken from its poll, not left to it
        rest = child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert answer.status_code == 200
    assert received == 8_000_000, f"{received} bytes of 8,000,000"
    assert child.returncode == 0 and rest.strip() == "stopped", (child.returncode, rest)


def test_stop_answers_the_requests_still_running(probe: tuple[Probe, LiveServer]) -> None:
    app, server = probe
    with ThreadPoolExecutor(2) as pool:
        waiting = pool.submit(requests.get, f"{server.url}/parked", timeout=30)
        time.sleep(0.2)  # /parked waits, on a thread the loop has left
        stopping = pool.submit(server.stop)
        time.sleep(0.2)
        app.other_ran.set()
        answer = waiting.result()
        stopping.result()
    assert answer.status_code == 200, answer.text
