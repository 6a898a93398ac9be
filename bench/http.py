"""HTTP throughput with wrk against servers in their own processes, as a deployment runs them.

Four baselines (a bare Flask route on gunicorn sync and gthread, 2 workers each, and on the
mock's own server configuration: waitress in 2 pre-forked workers, with the mock's pool, whose
event loop runs the requests itself, and with waitress's own thread pool, the faster of which
is the "same config" baseline) and the mock's calls (``serve --workers 2``) are hit in turn,
round after round, so a machine that gets busier during the run weighs on every case alike.
Each round gives each mock call three ratios: to the best of the four bare servers in that
round, to the better gunicorn (the issue's baseline), and to the bare route on the same server
configuration. One more server, ``bench/floor.py``, is the mock's app with a route that does
only the storage a create needs (the org's lookup, the allocation, one commit of the row, its
usage and its journal entry): its ratios are a floor under the create's, the part of the gap
that is the storage itself.
A run with any non-2xx answer is refused. Server CPU per request is read from /proc.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient

from . import bare, floor
from .common import BenchContext, Figure
from .wrk import Call, Hit, ensure_wrk, hit

SECTION = "http"
API = "/services/data/v59.0"
ROWS = 100_000
GUNICORN = ("bare Flask, gunicorn sync x2", "bare Flask, gunicorn gthread x2")
SAME = "bare Flask, waitress x2 (mock's config)"
# The same route on waitress with its own thread pool (the mock's, before serving/dispatch.py
# ran requests on the event loop's thread): "same config" divides by the faster of the two.
SAME_OWN_POOL = "bare Flask, waitress x2, waitress's own pool"
SAME_CONFIGS = (SAME, SAME_OWN_POOL)
BEST = (*GUNICORN, *SAME_CONFIGS)
# The storage a create needs and nothing else (bench/floor.py): no create can go faster.
FLOOR = "floor: a create's storage alone (bench/floor.py)"
# The calls with the targets (medians over the rounds of each ratio).
TARGETED = ("GET Contact by id", "create Contact")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(command: list[str], probe: str, cwd: Path | None = None) -> Iterator[tuple[str, int]]:
    """A server process on a free port (started in ``cwd``: ``python -m`` imports from the
    working folder first); yields its URL and pid once ``probe`` answers."""
    port = _free_port()
    argv = [arg.replace("{port}", str(port)) for arg in command]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + probe, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"{argv[:4]} did not start")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


def _gunicorn(worker_class: str) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}"]
    if worker_class == "gthread":
        command += ["-k", "gthread", "--threads", "4"]
    return [*command, "--log-level", "warning", "bench.bare:app"]


# GET and update take these many of the contacts in turn, spread over the table.
SPREAD = 1_000


def _bench_org(url: str, rows: int = ROWS) -> dict[str, Any]:
    """An org with ``rows`` contacts, a daily limit wrk cannot exhaust, and a token."""
    control = ControlClient(url)
    org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    org = control.org(org_id)
    org.settings(api_daily_limit=10**9)
    seeded: list[str] = []
    for start in range(0, rows, 10_000):
        seeded += org.seed_records(
            "Contact",
            [
                {"LastName": f"C{n}", "Email": f"c{n}@bench.test"}
                for n in range(start, min(rows, start + 10_000))
            ],
        )
    token = org.session_for("admin@test.org")["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    made = requests.post(f"{url}{API}/sobjects/Contact", json={"LastName": "Kept"}, headers=auth)
    spread = seeded[:: max(1, len(seeded) // SPREAD)][:SPREAD]
    return {"token": token, "contact": made.json()["id"], "spread": spread}


def _mock_calls(org: dict[str, Any]) -> dict[str, Call]:
    auth = (("Authorization", f"Bearer {org['token']}"), ("Content-Type", "application/json"))
    record = f"{API}/sobjects/Contact/{org['contact']}"
    records = tuple(f"{API}/sobjects/Contact/{each}" for each in org["spread"])
    selective = f"SELECT Id, LastName FROM Contact WHERE Email = 'c{ROWS // 2}@bench.test'"
    broad = "SELECT Id, LastName FROM Contact WHERE LastName LIKE '%7%' LIMIT 200"
    composite = {
        "compositeRequest": [
            {"method": "GET", "url": record, "referenceId": "read"},
            {"method": "PATCH", "url": record, "referenceId": "edit", "body": {"Title": "C"}},
        ]
    }
    collection = {
        "allOrNone": False,
        "records": [{"attributes": {"type": "Contact"}, "LastName": f"N{n}"} for n in range(5)],
    }
    return {
        "GET Contact by id": Call("GET", record, headers=auth, paths=records),
        "create Contact": Call("POST", f"{API}/sobjects/Contact", '{"LastName":"W"}', auth),
        "update Contact": Call("PATCH", record, '{"Title":"Bench"}', auth, paths=records),
        f"query selective (1 of {ROWS})": Call(
            "GET", f"{API}/query?q={quote(selective)}", "", auth
        ),
        f"query non-selective (200 of {ROWS})": Call(
            "GET", f"{API}/query?q={quote(broad)}", "", auth
        ),
        "composite (GET + PATCH)": Call("POST", f"{API}/composite", json.dumps(composite), auth),
        "collection create (5)": Call(
            "POST", f"{API}/composite/sobjects", json.dumps(collection), auth
        ),
    }


def _floor_call(org: dict[str, Any], per_commit: int = 1) -> Call:
    auth = (("Authorization", f"Bearer {org['token']}"), ("Content-Type", "application/json"))
    path = floor.PATH if per_commit == 1 else f"{floor.PATH}?per_commit={per_commit}"
    return Call("POST", path, '{"LastName":"W"}', auth)


def run(ctx: BenchContext) -> list[Figure]:
    ensure_wrk()
    with ExitStack() as stack:
        targets: dict[str, tuple[str, int, Call]] = {}
        ping = Call("GET", bare.PATH)
        for name, kind in zip(GUNICORN, ("sync", "gthread"), strict=True):
            url, pid = stack.enter_context(_server(_gunicorn(kind), bare.PATH))
            targets[name] = (url, pid, ping)
        bare_command = [sys.executable, "-m", "bench.bare", "--port", "{port}", "--workers", "2"]
        for name, extra in zip(SAME_CONFIGS, ([], ["--waitress-pool"]), strict=True):
            url, pid = stack.enter_context(_server([*bare_command, *extra], bare.PATH))
            targets[name] = (url, pid, ping)
        mock_command = [sys.executable, "-m", "mock_salesforce", "serve", "--port", "{port}"]
        mock_command += ["--workers", "2", "--no-seed"]
        url, pid = stack.enter_context(_server(mock_command, "/services/data"))
        for name, call in _mock_calls(_bench_org(url)).items():
            targets[name] = (url, pid, call)
        floor_command = [sys.executable, "-m", "bench.floor", "--port", "{port}", "--workers", "2"]
        url, pid = stack.enter_context(_server(floor_command, "/services/data"))
        targets[FLOOR] = (url, pid, _floor_call(_bench_org(url)))
        rounds = _interleaved(targets, ctx.rounds, ctx.seconds)
    return _figures(rounds)


def _interleaved(
    targets: dict[str, tuple[str, int, Call]], rounds: int, seconds: float
) -> list[dict[str, Hit]]:
    results: list[dict[str, Hit]] = []
    for _ in range(rounds):
        this_round = {
            name: hit(url, call, seconds, pid) for name, (url, pid, call) in targets.items()
        }
        refused = {name: h.non_2xx for name, h in this_round.items() if h.non_2xx}
        if refused:
            raise SystemExit(f"refusing the run: non-2xx answers {refused}")
        results.append(this_round)
    return results


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}/{statistics.median(values):.2f}/{max(values):.2f}"


def _figures(rounds: list[dict[str, Hit]]) -> list[Figure]:
    figures = []
    for name in rounds[0]:
        rates = [r[name].per_second for r in rounds]
        best = [max(r[b].per_second for b in BEST) for r in rounds]
        gunicorn = [max(r[b].per_second for b in GUNICORN) for r in rounds]
        same = [max(r[b].per_second for b in SAME_CONFIGS) for r in rounds]
        extra: dict[str, Any] = {
            "cpu_ms_per_req": round(
                statistics.median(r[name].cpu_ms_per_request for r in rounds), 3
            ),
            "rounds": [round(x) for x in rates],
        }
        vs_best = statistics.median([a / b for a, b in zip(rates, best, strict=True)])
        vs_same = statistics.median([a / b for a, b in zip(rates, same, strict=True)])
        targeted = name in TARGETED
        is_mock = name not in BEST
        if is_mock:
            extra["vs_best_bare_min/med/max"] = _spread(
                [a / b for a, b in zip(rates, best, strict=True)]
            )
            extra["vs_gunicorn_min/med/max"] = _spread(
                [a / b for a, b in zip(rates, gunicorn, strict=True)]
            )
            extra["vs_same_config_min/med/max"] = _spread(
                [a / b for a, b in zip(rates, same, strict=True)]
            )
        figures.append(
            Figure(
                SECTION,
                name,
                "wrk -t1 -c8",
                sum(r[name].requests for r in rounds),
                statistics.median(rates),
                ratio=vs_best,
                target=">= 0.5 best bare, >= 0.6 same config" if targeted else "",
                extra=extra,
                met=vs_best >= 0.5 and vs_same >= 0.6 if targeted else None,
            )
        )
    return figures
