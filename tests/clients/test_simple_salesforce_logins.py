"""simple-salesforce (unmodified) logs in to the mock over HTTPS, every way it knows.

The library hard-codes ``https://{domain}.salesforce.com`` for its OAuth and SOAP logins; the
``trusting_session`` fixture sends those hosts to the mock (``RouteToMock``) and trusts the
mock's CA. Nothing in the library is patched.
"""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce, SalesforceLogin
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceExpiredSession

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.serving.server import LiveServer
from tests.clients.hosts import MY_DOMAIN
from tests.contract.test_oauth_clients import private_pem
from tests.contract.test_oauth_jwt import key_pair


def password_grant(org: OrgHandle, http: requests.Session) -> dict[str, str]:
    response = http.post(
        f"{org.base_url}/services/oauth2/token",
        data={
            "grant_type": "password",
            "client_id": org.app["client_id"],
            "client_secret": org.app["client_secret"],
            "username": "user@test.org",
            "password": "user-pass-1USERTOK",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    token: dict[str, str] = response.json()
    return token


def expire_sessions(org: OrgHandle, user: str = "user@test.org") -> None:
    org.control.call("POST", f"/users/{user}/sessions/expire")


def test_direct_session_from_the_token_endpoint(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    token = password_grant(https_org, trusting_session)
    assert token["instance_url"] == https_org.base_url, token
    sf = Salesforce(
        instance_url=token["instance_url"],
        session_id=token["access_token"],
        session=trusting_session,
    )
    assert sf.sf_instance == https_org.base_url.split("://", 1)[1], sf.sf_instance
    assert "Contact" in {o["name"] for o in sf.describe()["sobjects"]}


def test_direct_session_with_a_bad_token_raises_expired_session(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    sf = Salesforce(
        instance_url=https_org.base_url,
        session_id=https_org.id[:15] + "!not-a-token",
        session=trusting_session,
    )
    with pytest.raises(SalesforceExpiredSession) as expired:
        sf.Contact.describe()
    assert expired.value.content[0]["errorCode"] == "INVALID_SESSION_ID", expired.value.content


def test_soap_login_to_a_custom_url(
    https_org: OrgHandle, https_server: LiveServer, trusting_session: requests.Session
) -> None:
    session_id, instance = SalesforceLogin(
        username="user@test.org",
        password="user-pass-1",
        security_token="USERTOK",
        scratch_url=https_server.url,
        session=trusting_session,
    )
    assert instance == https_server.url.split("://", 1)[1], instance
    sf = Salesforce(instance=instance, session_id=session_id, session=trusting_session)
    assert sf.Contact.create({"LastName": "Soap"})["success"] is True


def test_soap_login_failure_raises_authentication_failed(
    https_org: OrgHandle, https_server: LiveServer, trusting_session: requests.Session
) -> None:
    with pytest.raises(SalesforceAuthenticationFailed, match="INVALID_LOGIN"):
        SalesforceLogin(
            username="user@test.org",
            password="wrong",
            security_token="USERTOK",
            scratch_url=https_server.url,
            session=trusting_session,
        )


def test_soap_login_on_the_login_domain_then_refresh_on_401(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    sf = Salesforce(
        username="user@test.org",
        password="user-pass-1",
        security_token="USERTOK",
        domain="login",
        session=trusting_session,
    )
    first = sf.session_id
    expire_sessions(https_org)
    assert sf.Contact.create({"LastName": "After refresh"})["success"] is True
    assert sf.session_id != first, "simple-salesforce should have logged in again after the 401"
    logins = https_org.control.journal(api="soap", operation="login")
    assert [e["host"] for e in logins] == ["login.salesforce.com"] * 2, logins


def test_oauth_password_login_then_refresh_on_401(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    sf = Salesforce(
        # No security_token: with one, simple-salesforce picks the SOAP login instead.
        username="user@test.org",
        password="user-pass-1USERTOK",
        consumer_key=https_org.app["client_id"],
        consumer_secret=https_org.app["client_secret"],
        domain="login",
        session=trusting_session,
    )
    assert sf.sf_instance == https_org.base_url.split("://", 1)[1]
    first = sf.session_id
    expire_sessions(https_org)
    assert sf.query("SELECT Id FROM Contact")["totalSize"] == 0
    assert sf.session_id != first
    grants = https_org.control.journal(api="oauth", operation="password")
    assert len(grants) == 2, grants


def test_oauth_client_credentials_login_on_my_domain(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    sf = Salesforce(
        consumer_key=https_org.app["client_id"],
        consumer_secret=https_org.app["client_secret"],
        domain=MY_DOMAIN.removesuffix(".salesforce.com"),
        session=trusting_session,
    )
    created = sf.Contact.create({"LastName": "Run as"})
    record = sf.Contact.get(created["id"])
    assert record["CreatedById"] == https_org.users["admin@test.org"], record


def test_oauth_jwt_login(https_org: OrgHandle, trusting_session: requests.Session) -> None:
    client_id = https_org.app["client_id"]
    https_org.control.call("PATCH", f"/apps/{client_id}", {"certificate": key_pair()[1]})
    https_org.control.call("POST", "/users/user@test.org/approvals", {"client_id": client_id})
    sf = Salesforce(
        username="user@test.org",
        consumer_key=client_id,
        privatekey=private_pem(),
        domain="test",
        session=trusting_session,
    )
    assert sf.Contact.create({"LastName": "Jwt"})["success"] is True
    first = sf.session_id
    expire_sessions(https_org)
    assert sf.Contact.describe()["name"] == "Contact"
    assert sf.session_id != first


def test_query_more_after_a_refresh_keeps_the_cursor(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    https_org.control.seed_records(
        "Contact", [{"LastName": f"Page {i:03d}"} for i in range(250)], as_user="user@test.org"
    )
    sf = Salesforce(
        username="user@test.org",
        password="user-pass-1",
        security_token="USERTOK",
        session=trusting_session,
    )
    first = sf.query("SELECT Id FROM Contact", headers={"Sforce-Query-Options": "batchSize=200"})
    assert (len(first["records"]), first["done"]) == (200, False), first["nextRecordsUrl"]
    expire_sessions(https_org)
    rest = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert (len(rest["records"]), rest["done"]) == (50, True), rest
