"""REST through the zero-network transport: authenticated create and get-by-id against a bare
Flask JSON route on the same app, in process. The HTTP figures are bench.http's (wrk against
servers in their own processes): a ``requests`` loop in the server's own process measured
mostly itself. Cases alternate over a few rounds and each reports its median round.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import requests

from .common import BASELINE_PATH, BenchContext, Figure, expect, rate

SECTION = "rest"
BASELINE = "bare Flask JSON route"
ROUNDS = 3
Action = Callable[[int], None]


def _actions(ctx: BenchContext, http: requests.Session, root: str) -> dict[str, Action]:
    # No proxy lookups from the environment on every call: the client's own cost would
    # otherwise dilute the server's share of each round trip.
    http.trust_env = False
    http.headers["Authorization"] = f"Bearer {ctx.org.token('admin@test.org')}"
    api = f"{root}/services/data/v59.0"
    created: list[str] = []

    def ping(n: int) -> None:
        expect(http.get(f"{root}{BASELINE_PATH}"), 200)

    def create(n: int) -> None:
        response = http.post(f"{api}/sobjects/Contact", json={"LastName": f"Bench {n}"})
        expect(response, 201)
        created.append(response.json()["id"])

    def get(n: int) -> None:
        expect(http.get(f"{api}/sobjects/Contact/{created[n % len(created)]}"), 200)

    return {BASELINE: ping, "create Contact": create, "get Contact by id": get}


def _measure(ctx: BenchContext, http: requests.Session, root: str, transport: str) -> list[Figure]:
    actions = _actions(ctx, http, root)
    per_round = max(1, ctx.iterations // ROUNDS)
    rates: dict[str, list[float]] = {case: [] for case in actions}
    for _ in range(ROUNDS):
        for case, action in actions.items():
            rates[case].append(rate(per_round, action))
    medians = {case: statistics.median(values) for case, values in rates.items()}
    baseline = medians[BASELINE]
    return [
        Figure(
            SECTION,
            case,
            transport,
            per_round * ROUNDS,
            per_second,
            ratio=per_second / baseline,
            target=">= 0.50 of baseline" if transport == "http" and case != BASELINE else "",
            extra={"rounds": rates[case]},
        )
        for case, per_second in medians.items()
    ]


def run(ctx: BenchContext) -> list[Figure]:
    with ctx.inprocess() as local:
        return _measure(ctx, local, "http://bench.local", "in-process")
