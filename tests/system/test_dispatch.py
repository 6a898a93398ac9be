"""The served pool runs one request at a time per worker, unless it waits or runs long
(mock_salesforce/serving/dispatch.py): the same answers with fewer thread switches, and no
request held up for long behind a slow one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask import Flask

from mock_salesforce.serving import parking
from mock_salesforce.serving.dispatch import OneRunner
from mock_salesforce.serving.parking import parked
from mock_salesforce.serving.server import LiveServer

WAIT_SECONDS = 10.0


class Probe:
    """A small app whose routes record how many requests run at once."""

    def __init__(self) -> None:
        self.app = Flask(__name__)
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.other_ran = threading.Event()
        self.app.add_url_rule("/work", "work", self.work)
        self.app.add_url_rule("/other", "other", self.other)
        self.app.add_url_rule("/parked", "parked", self.waits_parked)
        self.app.add_url_rule("/busy", "busy", self.waits_unannounced)
        self.app.add_url_rule("/thread", "thread", lambda: {"thread": threading.get_ident()})

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

    def waits_unannounced(self) -> dict[str, bool]:
        seen = self.other_ran.wait(WAIT_SECONDS)  # as a slow query or a slow client would
        return {"other_ran_meanwhile": seen}


@pytest.fixture
def probe() -> Iterator[tuple[Probe, LiveServer]]:
    probe = Probe()
    server = LiveServer(probe.app, threads=8).start()
    try:
        yield probe, server
    finally:
        server.stop()


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


def test_one_request_after_another_is_served_by_the_same_warm_thread(
    probe: tuple[Probe, LiveServer],
) -> None:
    _app, server = probe
    _slice(server, 30.0)  # on a loaded machine a request may run past 20 ms
    pool = server._waitress.task_dispatcher
    deadline = time.monotonic() + 30
    while len(pool.idle) < len(pool.threads) and time.monotonic() < deadline:
        time.sleep(0.01)  # every pool thread started and idle: none joins the stack later
    with requests.Session() as http:
        threads = {http.get(f"{server.url}/thread", timeout=30).json()["thread"] for _ in range(20)}
    assert len(threads) == 1, f"20 requests in turn ran on {len(threads)} pool threads"


def test_a_wait_inside_a_wait_counts_the_request_as_waiting_once() -> None:
    pool = OneRunner(slice_seconds=30.0)
    pool.running = 1  # as when this thread runs a request
    parking.runner.dispatcher = pool
    try:
        with parked():
            with parked():
                assert pool.running == 0, f"running {pool.running} while parked twice"
            assert pool.running == 0, f"running {pool.running} after the inner wait"
        assert pool.running == 1, f"running {pool.running} after both waits"
    finally:
        parking.runner.dispatcher = None
        pool.shutdown()
