"""An org deleted while one of its calls is in flight: the call gets Salesforce's answer for a
session that no longer exists, never a 500 (a test that deletes its org while a client still
polls, as jsforce's background Bulk closes do)."""

from __future__ import annotations

import threading

import requests

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient


def test_a_call_in_flight_when_its_org_is_deleted_is_invalid_session_not_500(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    clone = mock_salesforce_control.clone_org(sf_org.id)
    org = mock_salesforce_control.org(clone["id"])
    session = org.session_for("user@test.org")
    org.add_fault(match={"operation": "describe_global"}, latency_ms=800)
    answers: list[requests.Response] = []

    def call() -> None:
        answers.append(
            requests.get(
                f"{session['instance_url']}/services/data/v59.0/sobjects",
                headers={"Authorization": f"Bearer {session['access_token']}"},
                timeout=30,
            )
        )

    caller = threading.Thread(target=call)
    caller.start()
    threading.Event().wait(0.3)
    mock_salesforce_control.delete_org(clone["id"])
    caller.join(timeout=30)

    [answer] = answers
    assert answer.status_code == 401, (answer.status_code, answer.text[:300])
    assert answer.json()[0]["errorCode"] == "INVALID_SESSION_ID", answer.text


def test_a_call_with_the_token_of_a_deleted_org_is_invalid_session(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    clone = mock_salesforce_control.clone_org(sf_org.id)
    session = mock_salesforce_control.org(clone["id"]).session_for("user@test.org")
    mock_salesforce_control.delete_org(clone["id"])

    answer = requests.get(
        f"{session['instance_url']}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {session['access_token']}"},
        timeout=30,
    )

    assert answer.status_code == 401, (answer.status_code, answer.text[:300])
    assert answer.json()[0]["errorCode"] == "INVALID_SESSION_ID", answer.text
