"""``python -m bench [--iterations N]``: run every section, print the table, save the figures."""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

from . import machine
from .common import Figure, start

SECTIONS = (
    "bench.http",
    "bench.footprint",
    "bench.rest",
    "bench.org_setup",
    "bench.soql",
    "bench.bdd",
)
RESULTS = Path(__file__).parent / "results" / "latest.json"


_VERDICT = {True: "met", False: "NOT MET", None: ""}


def table(figures: list[Figure]) -> str:
    lines = [
        f"{'section':<10} {'case':<32} {'transport':<11} {'n':>5} {'req/s':>9} "
        f"{'median ms':>10} {'ratio':>6} {'verdict':<7}  target"
    ]
    for f in figures:
        per_second = f"{f.per_second:9.0f}" if f.per_second is not None else " " * 9
        median = f"{f.median_ms:10.2f}" if f.median_ms is not None else " " * 10
        ratio = f"{f.ratio:6.2f}" if f.ratio is not None else " " * 6
        extra = "  ".join(f"{k}={v}" for k, v in f.extra.items())
        lines.append(
            f"{f.section:<10} {f.case:<32} {f.transport:<11} {f.iterations:>5} {per_second} "
            f"{median} {ratio} {_VERDICT[f.met]:<7}  {f.target}  {extra}".rstrip()
        )
    return "\n".join(lines)


def verdicts(figures: list[Figure]) -> str:
    """How many of the run's targets were met, and which were not."""
    judged = [f for f in figures if f.met is not None]
    missed = [f for f in judged if not f.met]
    text = f"targets met in this run: {len(judged) - len(missed)} of {len(judged)}"
    if missed:
        text += "; not met: " + "; ".join(f"{f.section} / {f.case} ({f.target})" for f in missed)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "--iterations", type=int, default=600, help="calls per case (the run stays under 30 s)"
    )
    parser.add_argument(
        "--section", action="append", choices=SECTIONS, help="run only these sections"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per wrk case")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of wrk cases")
    args = parser.parse_args()
    started = time.perf_counter()
    ctx = start(args.iterations, args.seconds, args.rounds)
    # The machine's speed, before and after: its phases move figures in milliseconds.
    figures: list[Figure] = [machine.probe("at start")]
    try:
        for name in args.section or SECTIONS:
            figures += importlib.import_module(name).run(ctx)
    finally:
        ctx.server.stop()
    figures.append(machine.probe("at end"))
    print(table(figures))
    print(verdicts(figures))
    elapsed = time.perf_counter() - started
    print(f"\n{len(figures)} figures in {elapsed:.1f} s -> {RESULTS}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([f.to_json() for f in figures], indent=2) + "\n")


if __name__ == "__main__":
    main()
