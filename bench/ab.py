"""``python -m bench.ab --b <checkout>``: two versions of the mock side by side, alternated.

Both servers (``serve --workers 2 --quiet``, each started in its own checkout, whose code
``python -m`` then imports first; the tool checks it does) are up at once with the same org
(1,000 contacts and a daily limit wrk cannot exhaust), and neither sees the caller's
``MOCK_SALESFORCE_*`` settings. wrk then hits each for one second in turn, A then B, then B then
A, ``--pairs`` times per case. The machine's speed changes in phases of seconds
(``bench/machine.py``), so runs of a few seconds each, one version after the other, compare
phases as much as code; short alternated runs put both versions in every phase. The best and
upper-quartile rates (the fast phases), the lowest CPU per request, and how many adjacent pairs
B won are printed. A run with any non-2xx answer is refused. (Creates stay in each server's
org, so the faster version ends a ``create`` case with the larger table: a small bias against
it.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient

from .http import API, _server
from .wrk import Call, Hit, ensure_wrk, hit

CONTACTS = 1_000


def _imported_from(tree: Path) -> Path:
    """Where ``python -m`` run in ``tree`` takes the mock's code from (must be ``tree``)."""
    code = "import mock_salesforce; print(mock_salesforce.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=True
    ).stdout.strip()
    return Path(found).resolve().parent.parent


@contextmanager
def _mock(tree: Path, workers: int) -> Iterator[tuple[str, int, dict[str, Call]]]:
    """The mock of checkout ``tree`` on a free port, with the bench's org and its calls.
    It runs in ``tree``: ``python -m`` imports from its working folder before anything else
    (``PYTHONPATH`` alone would still load this checkout's code when run from here)."""
    command = [sys.executable, "-m", "mock_salesforce", "serve", "--port", "{port}"]
    command += ["--workers", str(workers), "--no-seed", "--quiet"]
    with _server(command, "/services/data", cwd=tree) as (url, pid):
        control = ControlClient(url)
        org = control.org(control.seed({"orgs": [DEFAULT_ORG]})[0]["id"])
        org.settings(api_daily_limit=10**9)
        org.seed_records(
            "Contact", [{"LastName": f"C{n}", "Email": f"c{n}@ab.test"} for n in range(CONTACTS)]
        )
        token = org.session_for("admin@test.org")["access_token"]
        auth = (("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"))
        made = requests.post(
            f"{url}{API}/sobjects/Contact", json={"LastName": "Kept"}, headers=dict(auth)
        )
        if made.status_code != 201:
            raise SystemExit(f"{tree}: the bench's contact was refused: {made.text}")
        record = f"{API}/sobjects/Contact/{made.json()['id']}"
        yield (
            url,
            pid,
            {
                "get": Call("GET", record, headers=auth),
                "create": Call("POST", f"{API}/sobjects/Contact", '{"LastName":"W"}', auth),
                "update": Call("PATCH", record, '{"Title":"B"}', auth),
            },
        )


def _summary(name: str, hits: list[Hit]) -> str:
    rates = sorted(h.per_second for h in hits)
    cpu = sorted(h.cpu_ms_per_request for h in hits)
    return (
        f"{name}: best {rates[-1]:,.0f} req/s, upper quartile {rates[len(rates) * 3 // 4]:,.0f}, "
        f"median {statistics.median(rates):,.0f}; CPU per request lowest {cpu[0]:.3f} ms, "
        f"lower quartile {cpu[len(cpu) // 4]:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab")
    parser.add_argument(
        "--a",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="one checkout (default: this one)",
    )
    parser.add_argument("--b", type=Path, required=True, help="the other checkout")
    parser.add_argument(
        "--case",
        action="append",
        choices=("get", "create", "update"),
        help="the call compared, repeatable (default: get and create)",
    )
    parser.add_argument(
        "--pairs", type=int, default=16, help="alternated 1-s runs per version (even)"
    )
    parser.add_argument("--workers", type=int, default=2, help="serve --workers for both")
    args = parser.parse_args()
    if args.pairs < 2 or args.pairs % 2:
        parser.error("--pairs must be an even number, 2 or more (each version goes first alike)")
    for name in [name for name in os.environ if name.startswith("MOCK_SALESFORCE_")]:
        del os.environ[name]  # a shared --db folder or control token would tie A and B together
    ensure_wrk()
    for tree in (args.a, args.b):
        source = _imported_from(tree.resolve())
        if source != tree.resolve():
            raise SystemExit(f"{tree} would serve the code in {source}, not its own")
    cases = args.case or ["get", "create"]
    with ExitStack() as stack:
        a = stack.enter_context(_mock(args.a.resolve(), args.workers))
        b = stack.enter_context(_mock(args.b.resolve(), args.workers))
        for case in cases:
            hits: dict[str, list[Hit]] = {"A": [], "B": []}
            for n in range(args.pairs):
                order = (("A", a), ("B", b)) if n % 2 == 0 else (("B", b), ("A", a))
                for name, (url, pid, calls) in order:
                    got = hit(url, calls[case], 1, pid)
                    if got.non_2xx:
                        raise SystemExit(f"refusing the run: {got.non_2xx} non-2xx from {name}")
                    hits[name].append(got)
            pairs = zip(hits["A"], hits["B"], strict=True)
            won = sum(with_b.per_second > with_a.per_second for with_a, with_b in pairs)
            print(f"{case} (A {args.a}, B {args.b})")
            print("  " + _summary("A", hits["A"]))
            print("  " + _summary("B", hits["B"]))
            print(f"  B served more in {won} of {args.pairs} adjacent pairs")


if __name__ == "__main__":
    main()
