"""``mock_salesforce.intercept()``: unmodified clients reach Salesforce's hosts, answered in
process by a fresh mock; everything else is left alone."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce

import mock_salesforce
from mock_salesforce.interception import is_salesforce_host
from mock_salesforce.pytest_plugin import OrgHandle


def test_simple_salesforce_soap_login_reaches_the_org_at_its_my_domain() -> None:
    with mock_salesforce.intercept() as org:
        sf = Salesforce(
            username="admin@test.org", password="admin-pass-1", security_token="ADMINTOK"
        )
        created = sf.Contact.create({"LastName": "Doe"})
        assert sf.sf_instance == "mockorg.my.salesforce.com", sf.sf_instance
        assert created["success"] is True, created
        entries = org.control.journal(operation="create_record")
        assert [e["host"] for e in entries] == ["mockorg.my.salesforce.com"], entries
        assert entries[0]["username"] == "admin@test.org", entries


def test_oauth_password_flow_on_the_login_host_gives_the_my_domain_instance() -> None:
    with mock_salesforce.intercept() as org:
        sf = Salesforce(
            username="admin@test.org",
            password="admin-pass-1",
            security_token="ADMINTOK",
            consumer_key=org.app["client_id"],
            consumer_secret=org.app["client_secret"],
        )
        assert sf.sf_instance == "mockorg.my.salesforce.com", sf.sf_instance
        assert sf.query("SELECT Id FROM User")["totalSize"] >= 2


def test_a_custom_instance_url_is_intercepted_too() -> None:
    with mock_salesforce.intercept(instance_url="https://acme.example.test") as org:
        sf = Salesforce(instance_url=org.instance_url, session_id=org.token("user@test.org"))
        assert sf.query("SELECT Id FROM Contact")["totalSize"] == 0


def test_decorator_gives_each_call_a_fresh_org() -> None:
    interceptor = mock_salesforce.intercept()
    seen: list[str] = []

    @interceptor
    def create_one() -> None:
        sf = Salesforce(
            instance_url=interceptor.org.instance_url,
            session_id=interceptor.org.token("admin@test.org"),
        )
        sf.Account.create({"Name": "Acme"})
        seen.append(str(sf.query("SELECT COUNT() FROM Account")["totalSize"]))

    create_one()
    create_one()
    assert seen == ["1", "1"], seen


def test_leaving_restores_requests_and_httpx() -> None:
    before = (HTTPAdapter.send, httpx.HTTPTransport.handle_request)
    with mock_salesforce.intercept():
        assert HTTPAdapter.send is not before[0]
    assert (HTTPAdapter.send, httpx.HTTPTransport.handle_request) == before


def test_other_hosts_go_out_as_before(mock_salesforce_server: object) -> None:
    url = mock_salesforce_server.url  # type: ignore[attr-defined]
    with mock_salesforce.intercept():
        answer = requests.get(f"{url}/_mock/health", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "ok", answer.text


def test_httpx_sync_and_async_clients_are_intercepted(sf_intercept: OrgHandle) -> None:
    token = sf_intercept.token("admin@test.org")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{sf_intercept.instance_url}/services/data/v59.0/limits"
    assert httpx.get(url, headers=headers).status_code == 200

    async def call() -> int:
        async with httpx.AsyncClient() as client:
            return (await client.get(url, headers=headers)).status_code

    assert asyncio.run(call()) == 200
    operations = [e["operation"] for e in sf_intercept.control.journal()]
    assert operations == ["org_limits", "org_limits"], operations


def test_a_bad_token_is_refused_as_salesforce_does(sf_intercept: OrgHandle) -> None:
    sf = Salesforce(instance_url=sf_intercept.instance_url, session_id="00D!nope")
    with pytest.raises(Exception, match="INVALID_SESSION_ID"):
        sf.query("SELECT Id FROM Contact")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("login.salesforce.com", True),
        ("test.salesforce.com", True),
        ("acme.my.salesforce.com", True),
        ("acme--uat.sandbox.my.salesforce.com", True),
        ("acme.lightning.force.com", True),
        ("salesforce.com.evil.example", False),
        ("www.salesforce.com", False),
        ("localhost", False),
    ],
)
def test_which_hosts_are_salesforce(host: str, expected: bool) -> None:
    assert is_salesforce_host(host) is expected, host
