"""A user's project: unmodified simple-salesforce against the installed mock's fixtures."""

from __future__ import annotations

import requests
from simple_salesforce import Salesforce


def create_contact(last_name: str) -> str:
    """Application code: it builds its own client and knows nothing of the mock."""
    sf = Salesforce(username="user@test.org", password="user-pass-1", security_token="USERTOK")
    return str(sf.Contact.create({"LastName": last_name})["id"])


def test_intercept_answers_salesforce_hosts_in_process(sf_intercept):
    contact_id = create_contact("Doe")
    entries = sf_intercept.control.journal(operation="create_record")
    assert [e["record_ids"] for e in entries] == [[contact_id]], entries
    assert entries[0]["username"] == "user@test.org", entries


def test_tls_live_server_works_with_simple_salesforce(sf_tls_org):
    assert sf_tls_org.base_url.startswith("https://"), sf_tls_org.base_url
    sf = Salesforce(instance_url=sf_tls_org.base_url, session_id=sf_tls_org.token("user@test.org"))
    assert sf.Account.create({"Name": "Acme"})["success"] is True
    assert sf.query("SELECT Name FROM Account")["records"][0]["Name"] == "Acme"


def test_the_plain_http_server_ignores_the_proxy(sf_org):
    assert sf_org.api("admin@test.org").get("/limits").status_code == 200
    assert isinstance(sf_org.api("user@test.org"), requests.Session)
