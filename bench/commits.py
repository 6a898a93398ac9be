"""``python -m bench.commits``: what sharing a commit between creates could save.

The storage floor (``bench/floor.py``: a create's storage and nothing else, through the mock's
own storage layer, ``serve``'s configuration with 2 workers) makes 1, 2, 4 and 8 creates per
call, in one commit, and the bare route on the same server configuration is hit between them,
round after round (wrk ``-t1 -c8``, 2 s each). Each line gives records stored per second,
server CPU per record, and records per second ÷ the bare route's calls per second. A record
made in a shared commit still costs its own row, usage row and journal entry; what the calls
share is the writer lock, ``BEGIN``, ``COMMIT`` and the HTTP call itself, so the figures are an
upper bound for a server that commits several calls' writes at once. Any non-2xx answer
refuses the run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from contextlib import ExitStack

from . import bare
from .http import _bench_org, _floor_call, _server
from .wrk import Call, ensure_wrk, hit


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.commits")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rows", type=int, default=1_000, help="contacts in the org first")
    args = parser.parse_args()
    ensure_wrk()
    with ExitStack() as stack:
        bare_command = [sys.executable, "-m", "bench.bare", "--port", "{port}", "--workers", "2"]
        url, pid = stack.enter_context(_server(bare_command, bare.PATH))
        cases: dict[str, tuple[str, int, Call, int]] = {
            "bare route": (url, pid, Call("GET", bare.PATH), 1)
        }
        floor_command = [sys.executable, "-m", "bench.floor", "--port", "{port}", "--workers", "2"]
        url, pid = stack.enter_context(_server(floor_command, "/services/data"))
        org = _bench_org(url, args.rows)
        for per_commit in (1, 2, 4, 8):
            call = _floor_call(org, per_commit)
            cases[f"floor, {per_commit} per commit"] = (url, pid, call, per_commit)
        seen: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, (url, pid, call, records) in cases.items():
                got = hit(url, call, args.seconds, pid)
                if got.non_2xx:
                    raise SystemExit(f"refusing the run: {got.non_2xx} non-2xx from {name}")
                seen[name].append((got.per_second * records, got.cpu_ms_per_request / records))
    bare_rates = [rate for rate, _ in seen["bare route"]]
    for name, values in seen.items():
        ratios = [rate / base for (rate, _), base in zip(values, bare_rates, strict=True)]
        print(
            f"{name:22s} {statistics.median(r for r, _ in values):8,.0f} records/s  "
            f"CPU {statistics.median(c for _, c in values):.3f} ms per record  "
            f"÷ bare {min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
        )


if __name__ == "__main__":
    main()
