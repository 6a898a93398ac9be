"""How fast the machine is while the bench runs: a fixed piece of work, timed.

The project's machine changes speed in phases (docs/performance.md: the bare route on the
mock's server served 17,100 calls a second at one hour and 5,075 at the next). Ratios of one
run divide that out; figures in milliseconds (the behaviour suite's Background, org setup) do
not. So ``python -m bench`` times the same work at its start and at its end, and a reader can
tell a slow machine from slow code: the same code gives about the same figure ÷ probe.
"""

from __future__ import annotations

import json
import sqlite3
import time

from .common import Figure

SECTION = "machine"
ROUNDS = 5


def _work() -> None:
    """Python the way the app spends it (dicts, strings, JSON) and SQLite in memory."""
    record = {f"Field{n}__c": f"value {n}" for n in range(40)}
    for n in range(2_000):
        record["Id"] = f"003{n:015d}"
        json.loads(json.dumps(record))
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT, email TEXT)")
    conn.execute("CREATE INDEX ix_t_email ON t (email)")
    with conn:
        for n in range(5_000):
            conn.execute("INSERT INTO t VALUES (?, ?, ?)", (f"id{n}", f"N{n}", f"e{n}@x.test"))
    for n in range(0, 5_000, 5):
        conn.execute("SELECT * FROM t WHERE email = ?", (f"e{n}@x.test",)).fetchall()
    conn.close()


def probe(when: str) -> Figure:
    """The best of ``ROUNDS`` timings of the fixed work (``when``: at the start or the end)."""
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        _work()
        times.append((time.perf_counter() - started) * 1000)
    return Figure(
        SECTION,
        "CPU probe, best of 5 (ms)",
        when,
        ROUNDS,
        median_ms=min(times),
        target="(reported)",
        extra={"rounds_ms": [round(t, 1) for t in times]},
    )
