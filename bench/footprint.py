"""Memory per org (a thousand test orgs in one server) and an in-process create against
simple-mockforce, the Python fake most projects reach for.

Memory: ``serve --workers 1`` in its own process; its resident set is read from /proc before
and after cloning ``ORGS`` orgs over HTTP, and the disk the org files take is reported beside
it (the orgs live in files: memory holds only what each open connection keeps). The clone's
median time over HTTP comes from the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests
from simple_salesforce import Salesforce

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.transport import WSGIAdapter

from .common import BenchContext, Figure, median_ms
from .http import _server

SECTION = "footprint"
ORGS = 1000
ROUNDS = 3


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def _memory(tmp: Path) -> list[Figure]:
    command = [sys.executable, "-m", "mock_salesforce", "serve", "--port", "{port}"]
    command += ["--workers", "1", "--no-seed", "--db", str(tmp)]
    with _server(command, "/services/data") as (url, pid):
        control = ControlClient(url)
        template = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.clone_org(template, "warm-up")
        before = _rss_mb(pid)
        times = []
        for n in range(ORGS):
            started = time.perf_counter()
            control.clone_org(template, f"org {n}")
            times.append((time.perf_counter() - started) * 1000)
        after = _rss_mb(pid)
    disk = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file()) / (ORGS + 2) / 2**20
    per_org = (after - before) / ORGS
    return [
        Figure(
            SECTION,
            f"RSS per idle org ({ORGS} cloned orgs)",
            "http",
            ORGS,
            median_ms=None,
            ratio=per_org,
            target="<= 1 MB",
            met=per_org <= 1.0,
            extra={
                "rss_before_mb": round(before),
                "rss_after_mb": round(after),
                "disk_per_org_mb": round(disk, 2),
            },
        ),
        Figure(SECTION, "clone an org (median)", "http", ORGS, median_ms=statistics.median(times)),
    ]


def _create_ours(ctx: BenchContext, iterations: int) -> float:
    http = requests.Session()
    http.trust_env = False
    http.mount("https://", WSGIAdapter(ctx.app))
    client = Salesforce(
        instance_url="https://mock.my.salesforce.com",
        session_id=ctx.org.token("admin@test.org"),
        session=http,
        version="59.0",
    )
    return median_ms(iterations, lambda n: client.Contact.create({"LastName": f"I{n}"}))


def _create_peer(iterations: int) -> float:
    from simple_mockforce import mock_salesforce

    result: dict[str, Any] = {}

    @mock_salesforce  # type: ignore[misc]
    def measure() -> None:
        client = Salesforce(instance_url="https://mock.my.salesforce.com", session_id="x")
        result["ms"] = median_ms(iterations, lambda n: client.Contact.create({"LastName": f"P{n}"}))

    measure()
    return float(result["ms"])


def _in_process(ctx: BenchContext) -> list[Figure]:
    iterations = max(100, ctx.iterations // 3)
    ours: list[float] = []
    peer: list[float] = []
    for _ in range(ROUNDS):  # interleaved: a busier machine weighs on both alike
        ours.append(_create_ours(ctx, iterations))
        peer.append(_create_peer(iterations))
    ratios = [a / b for a, b in zip(ours, peer, strict=True)]
    spread = f"{min(ratios):.2f}/{statistics.median(ratios):.2f}/{max(ratios):.2f}"
    return [
        Figure(
            SECTION,
            "create via simple-salesforce, ours / simple-mockforce",
            "in-process",
            iterations * ROUNDS,
            median_ms=statistics.median(ours),
            ratio=statistics.median(ratios),
            target="<= 1.5",
            met=statistics.median(ratios) <= 1.5,
            extra={"peer_ms": round(statistics.median(peer), 3), "ratio_min/med/max": spread},
        )
    ]


def run(ctx: BenchContext) -> list[Figure]:
    import tempfile

    figures = _in_process(ctx)
    with tempfile.TemporaryDirectory(prefix="bench-orgs-") as tmp:
        figures += _memory(Path(tmp))
    return figures
