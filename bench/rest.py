"""REST throughput: authenticated create and get-by-id against a bare Flask JSON route.

Over HTTP all three go through the same cheroot server; the target is create and get at 50%
or more of the bare route's requests per second. The same operations then run through the
zero-network transport.
"""

from __future__ import annotations

import requests

from .common import BASELINE_PATH, BenchContext, Figure, expect, rate

SECTION = "rest"


def _cases(ctx: BenchContext, http: requests.Session, root: str, transport: str) -> list[Figure]:
    # No proxy lookups from the environment on every call: the client's own cost would
    # otherwise dilute the server's share of each round trip.
    http.trust_env = False
    token = ctx.org.token("admin@test.org")
    http.headers["Authorization"] = f"Bearer {token}"
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

    iterations = ctx.iterations
    baseline = rate(iterations, ping)
    figures = [Figure(SECTION, "bare Flask JSON route", transport, iterations, baseline, ratio=1.0)]
    for case, action in (("create Contact", create), ("get Contact by id", get)):
        per_second = rate(iterations, action)
        figures.append(
            Figure(
                SECTION,
                case,
                transport,
                iterations,
                per_second,
                ratio=per_second / baseline,
                target=">= 0.50 of baseline" if transport == "http" else "",
            )
        )
    return figures


def run(ctx: BenchContext) -> list[Figure]:
    with ctx.http() as http:
        figures = _cases(ctx, http, ctx.base_url, "http")
    with ctx.inprocess() as local:
        figures += _cases(ctx, local, "http://bench.local", "in-process")
    return figures
