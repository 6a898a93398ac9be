"""Behaviour suite costs: what each scenario pays before its first step, and the suite's wall time.

Per scenario the suite creates a fresh org on the live server (the seed every scenario starts
from), a fresh core with its team, and usually connects team sync. The wall time of the whole
suite is measured serially and with ``-n auto``, side by side in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import requests

from mock_salesforce.pytest_plugin.control_client import ControlClient
from tests.bdd.conftest import make_jwt_key_pair
from tests.bdd.drivers.sales_app import SalesApp
from tests.bdd.drivers.salesforce import SalesforceOrg

from .common import BenchContext, Figure, median_ms

SECTION = "bdd"
ROOT = Path(__file__).resolve().parents[1]


def run(ctx: BenchContext) -> list[Figure]:
    key_pem, cert_pem = make_jwt_key_pair()
    control = ControlClient(ctx.base_url)
    iterations = max(10, ctx.iterations // 20)

    template = SalesforceOrg(control, ctx.base_url, cert_pem).create()
    template.admin.settings(accepts_logins=False)

    def seeded_org(n: int) -> None:
        org = SalesforceOrg(control, ctx.base_url, cert_pem).create()
        org.delete()

    def fresh_org(n: int) -> None:
        org = SalesforceOrg(control, ctx.base_url, cert_pem).create(template.org_id)
        org.delete()

    def background(n: int) -> None:
        org = SalesforceOrg(control, ctx.base_url, cert_pem).create(template.org_id)
        http = requests.Session()
        app = SalesApp(org, http, key_pem)
        app.add_member("Ann", "admin")
        app.add_member("Alice")
        org.add_user("alice@acme.test")
        app.connect_team_sync("client credentials")
        app.core.store.close()
        http.close()
        org.delete()

    figures = [
        Figure(
            SECTION,
            "scenario org seeded from scratch",
            "http",
            iterations,
            median_ms=median_ms(iterations, seeded_org),
            target="(reported)",
        ),
        Figure(
            SECTION,
            "fresh scenario org (clone of the seed)",
            "http",
            iterations,
            median_ms=median_ms(iterations, fresh_org),
            target="<= 20 ms",
        ),
        Figure(
            SECTION,
            "background: org, team, user, team sync",
            "http",
            iterations,
            median_ms=median_ms(iterations, background),
            target="(reported)",
        ),
    ]
    template.delete()
    figures += [_suite_wall_time(workers) for workers in ("0", "auto")]
    return figures


def _suite_wall_time(workers: str) -> Figure:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/bdd",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            workers,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["no output"])[-1]
    return Figure(
        SECTION,
        f"whole suite, -n {workers}",
        "subprocess",
        1,
        median_ms=elapsed * 1000,
        target="(reported)",
        extra={"summary": summary},
    )
