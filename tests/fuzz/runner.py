"""Send seeded odd requests to a live mock over HTTP and check every answer.

An answer is a problem when it is a 5xx (a SOAP fault excepted: SOAP answers faults with 500),
HTML where JSON is expected, JSON that does not parse, or slower than ``SLOW_SECONDS``.

    python -m tests.fuzz.runner --requests 20000 --seed 1            # its own server
    python -m tests.fuzz.runner --url http://127.0.0.1:8765 --requests 500
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import secrets
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from tests.fuzz.generator import FuzzRequest, Target, generate

SLOW_SECONDS = 5.0


@dataclass
class Report:
    requests: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    families: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        lines = [
            f"requests: {self.requests} in {self.seconds:.1f} s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s), slowest {self.slowest:.2f} s",
            f"problems: {len(self.problems)}; 5xx answers: {self.server_errors} "
            "(SOAP faults are 500 by design)",
            "families: " + ", ".join(f"{k} {v}" for k, v in sorted(self.families.items())),
            "statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())),
        ]
        lines += [f"  PROBLEM {p}" for p in self.problems[:20]]
        return "\n".join(lines)


def _org_spec(suffix: str) -> dict[str, Any]:
    return {
        "name": f"Fuzz {suffix}",
        "settings": {"api_daily_limit": 1_000_000_000},
        "users": [
            {"username": f"admin-{suffix}@fuzz.test", "profile": "System Administrator",
             "password": "fuzz-pass-1", "security_token": "TOK"},
            {"username": f"user-{suffix}@fuzz.test", "profile": "Standard User",
             "password": "fuzz-pass-1", "security_token": "TOK"},
        ],
        "connected_apps": [{"name": "Fuzz App", "callback_urls": ["http://localhost:9/cb"]}],
    }  # fmt: skip


def prepare(control: ControlClient) -> tuple[Target, str, list[str]]:
    """The org the API requests aim at (with a token and a few records) and a second org the
    control-plane requests may change at will. Returns (target, victim org id, org ids)."""
    suffix = secrets.token_hex(4)
    main, victim = control.seed({"orgs": [_org_spec(suffix), _org_spec(suffix + "v")]})
    org = control.org(main["id"])
    admin = f"admin-{suffix}@fuzz.test"
    token = str(org.session_for(admin)["access_token"])
    record_ids = org.seed_records("Account", [{"Name": f"A{n}"} for n in range(3)])
    record_ids += org.seed_records("Lead", [{"LastName": "L", "Company": "C"}])
    target = Target(
        org_id=main["id"],
        token=token,
        client_id=main["connected_apps"][0]["client_id"],
        record_ids=record_ids,
        users=list(main["users"]),
    )
    return target, victim["id"], [main["id"], victim["id"]]


def problem(req: FuzzRequest, response: requests.Response | None, seconds: float) -> str | None:
    """Why this answer is wrong, or None."""
    if response is None:
        return f"no answer within the timeout: {req.describe()}"
    kind = response.headers.get("Content-Type", "")
    if seconds > SLOW_SECONDS:
        return f"slow ({seconds:.1f} s): {req.describe()}"
    if response.status_code >= 500 and not (req.family == "soap" and "faultcode" in response.text):
        return f"{response.status_code} {response.text[:200]!r}: {req.describe()}"
    if req.expects_json and kind.startswith("text/html"):
        return f"HTML where JSON was expected ({response.status_code}): {req.describe()}"
    if kind.startswith("application/json") and response.content and req.method != "HEAD":
        try:
            json.loads(response.content)
        except ValueError:
            return f"unparseable JSON {response.text[:100]!r}: {req.describe()}"
    return None


def run(base_url: str, count: int, seed: int, control: ControlClient | None = None) -> Report:
    control = control or ControlClient(base_url)
    target, victim, orgs = prepare(control)
    rng = random.Random(seed)
    report = Report()
    started = time.perf_counter()
    with requests.Session() as http:
        for _ in range(count):
            req = generate(rng, target, victim)
            report.families[req.family] += 1
            response, seconds = _send(http, base_url, req)
            report.requests += 1
            report.slowest = max(report.slowest, seconds)
            if response is not None:
                report.statuses[response.status_code] += 1
            found = problem(req, response, seconds)
            if found:
                report.problems.append(found)
    report.seconds = time.perf_counter() - started
    for org_id in orgs:
        # The control family may have deleted the victim org already.
        with contextlib.suppress(AssertionError):
            control.delete_org(org_id)
    return report


def _send(
    http: requests.Session, base_url: str, req: FuzzRequest
) -> tuple[requests.Response | None, float]:
    started = time.perf_counter()
    try:
        response = http.request(
            req.method,
            base_url + req.path,
            headers=req.headers,
            data=req.body,
            allow_redirects=False,
            timeout=SLOW_SECONDS * 2,
        )
    except requests.RequestException:
        http.close()  # a connection the server closed: the next request opens a new one
        return None, time.perf_counter() - started
    return response, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="a running mock (default: start one on loopback)")
    args = parser.parse_args(argv)
    server = None if args.url else LiveServer(create_app()).start()
    url = args.url or (server.url if server else "")
    try:
        report = run(url, args.requests, args.seed)
    finally:
        if server is not None:
            server.stop()
    print(f"fuzz against {url}, seed {args.seed}")
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
