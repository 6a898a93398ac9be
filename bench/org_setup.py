"""Setup cost: a fresh org with 5 users and a connected app, through the seed path."""

from __future__ import annotations

from typing import Any

from mock_salesforce.org_admin.seed import apply_seed
from mock_salesforce.store import Registry

from .common import BenchContext, Figure, median_ms

SECTION = "org setup"
ORG_SPEC: dict[str, Any] = {
    "name": "Bench Org",
    "users": [
        {
            "username": f"user{n}@bench.org",
            "profile": "System Administrator" if n == 0 else "Standard User",
            "password": f"bench-pass-{n}",
        }
        for n in range(5)
    ],
    "connected_apps": [{"name": "Bench App", "callback_urls": ["http://localhost/cb"]}],
}


def run(ctx: BenchContext) -> list[Figure]:
    registry = Registry()
    iterations = max(10, ctx.iterations // 20)

    def create(n: int) -> None:
        created = apply_seed(registry, {"orgs": [ORG_SPEC]})
        registry.remove(created[0]["id"])

    create(0)
    median = median_ms(iterations, create)
    registry.close()
    return [
        Figure(
            SECTION,
            "org + 5 users + connected app",
            "direct",
            iterations,
            median_ms=median,
            target="<= 20 ms",
            met=median <= 20,
        )
    ]
