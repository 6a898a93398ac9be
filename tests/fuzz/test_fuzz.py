"""A short seeded fuzz run against the live test server: no 5xx (SOAP faults excepted), no HTML
where JSON is expected, no answer slower than a few seconds. ``make fuzz`` runs 20,000."""

from __future__ import annotations

import os

from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from tests.fuzz.runner import run

BUDGET = 400  # requests: about two seconds
SEED = int(os.environ.get("FUZZ_SEED", "12"))


def test_odd_requests_over_every_route_family_get_clear_answers(
    mock_salesforce_server: LiveServer, mock_salesforce_control: ControlClient
) -> None:
    report = run(mock_salesforce_server.url, BUDGET, SEED, mock_salesforce_control)
    assert report.requests == BUDGET, report.summary()
    assert len(report.families) == 10, report.summary()
    assert report.problems == [], report.summary()
