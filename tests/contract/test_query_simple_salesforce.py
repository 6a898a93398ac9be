"""A real client, simple-salesforce, paging through SOQL results in process (no socket)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from flask import Flask
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient, OrgControl
from mock_salesforce.serving.transport import in_process_session

INSTANCE = "https://mock.my.salesforce.com"


@pytest.fixture
def inproc(mock_salesforce_app: Flask) -> Iterator[requests.Session]:
    session = in_process_session(mock_salesforce_app)
    yield session
    session.close()


@pytest.fixture
def org_control(inproc: requests.Session) -> Iterator[OrgControl]:
    control = ControlClient(INSTANCE, inproc)
    created = control.seed({"orgs": [DEFAULT_ORG]})[0]
    yield control.org(created["id"])
    control.delete_org(created["id"])


def _client(org_control: OrgControl, inproc: requests.Session) -> Salesforce:
    token = org_control.session_for("admin@test.org")["access_token"]
    return Salesforce(instance_url=INSTANCE, session_id=token, session=inproc, version="59.0")


def test_simple_salesforce_query_all_follows_next_records_url(
    org_control: OrgControl, inproc: requests.Session
) -> None:
    records = [{"LastName": f"L{n:05d}", "Company": "Co"} for n in range(2001)]
    org_control.seed_records("Lead", records, as_user="admin@test.org")
    sf = _client(org_control, inproc)
    result = sf.query_all("SELECT LastName FROM Lead ORDER BY LastName")
    names = [record["LastName"] for record in result["records"]]
    assert (result["totalSize"], len(names), names[-1]) == (2001, 2001, "L02000"), (
        f"{result['totalSize']} / {len(names)} / {names[-1:]}"
    )


def test_simple_salesforce_sees_malformed_query(
    org_control: OrgControl, inproc: requests.Session
) -> None:
    sf = _client(org_control, inproc)
    with pytest.raises(SalesforceMalformedRequest, match="unexpected token: 'FRM'"):
        sf.query("SELECT Id FRM Lead")
