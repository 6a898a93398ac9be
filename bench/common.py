"""What every bench section shares: one live server, a seeded org, timing and the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import requests
from flask import Flask

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import DEFAULT_ORG, OrgHandle, new_org
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.transport import in_process_session

BASELINE_PATH = "/_bench/ping"


@dataclass
class Figure:
    """One measured case: requests per second, or a median time in milliseconds."""

    section: str
    case: str
    transport: str
    iterations: int
    per_second: float | None = None
    median_ms: float | None = None
    ratio: float | None = None
    target: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    met: bool | None = None  # whether the figure meets ``target`` (None: nothing to meet)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BenchContext:
    """The app, its live server, an org on it and clients for both transports."""

    app: Flask
    server: LiveServer
    org: OrgHandle
    iterations: int
    seconds: float = 3.0
    rounds: int = 3

    def http(self) -> requests.Session:
        return requests.Session()

    def inprocess(self) -> requests.Session:
        return in_process_session(self.app)

    @property
    def base_url(self) -> str:
        return self.server.url


def bare_app() -> Flask:
    """The mock's app plus a bare JSON route: the baseline served by the same server."""
    app = create_app()
    app.add_url_rule(BASELINE_PATH, "bench_ping", lambda: {"ok": True})
    return app


def start(iterations: int, seconds: float = 3.0, rounds: int = 3) -> BenchContext:
    app = bare_app()
    server = LiveServer(app).start()
    control = ControlClient(server.url)
    org = new_org(control, server.url, DEFAULT_ORG)
    return BenchContext(app, server, org, iterations, seconds, rounds)


def rate(iterations: int, action: Callable[[int], None]) -> float:
    """Calls per second of ``action`` over ``iterations`` calls (after a short warm-up)."""
    for n in range(min(20, iterations)):
        action(n)
    started = time.perf_counter()
    for n in range(iterations):
        action(n)
    return iterations / (time.perf_counter() - started)


def median_ms(iterations: int, action: Callable[[int], None]) -> float:
    samples = []
    for n in range(iterations):
        started = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def expect(response: requests.Response, status: int) -> None:
    if response.status_code != status:
        raise AssertionError(f"expected {status}, got {response.status_code}: {response.text}")
