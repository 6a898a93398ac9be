"""Real clients against the mock: simple-salesforce's JWT, client-credentials and password
logins through the in-process transport (login.salesforce.com and a My Domain host)."""

from __future__ import annotations

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from simple_salesforce import Salesforce, SalesforceAuthenticationFailed, SalesforceLogin

from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_jwt import key_pair


def private_pem() -> str:
    return (
        key_pair()[0]
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def test_simple_salesforce_jwt_login(sf_org: OrgHandle, sf_inprocess: requests.Session) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"certificate": key_pair()[1]})
    sf_org.control.call(
        "POST", "/users/user@test.org/approvals", {"client_id": sf_org.app["client_id"]}
    )
    token, instance = SalesforceLogin(
        username="user@test.org",
        consumer_key=sf_org.app["client_id"],
        privatekey=private_pem(),
        domain="login",
        session=sf_inprocess,
    )
    assert token.startswith(sf_org.id[:15] + "!"), token
    assert instance == sf_org.base_url.split("://", 1)[1], instance


def test_simple_salesforce_jwt_login_not_approved_raises(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"certificate": key_pair()[1]})
    # simple-salesforce keys its extra guidance on this exact description.
    with (
        pytest.warns(UserWarning, match="self-authorize"),
        pytest.raises(SalesforceAuthenticationFailed, match="hasn't approved this consumer"),
    ):
        SalesforceLogin(
            username="user@test.org",
            consumer_key=sf_org.app["client_id"],
            privatekey=private_pem(),
            domain="login",
            session=sf_inprocess,
        )


def test_simple_salesforce_client_credentials_on_my_domain(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    token, _ = SalesforceLogin(
        consumer_key=sf_org.app["client_id"],
        consumer_secret=sf_org.app["client_secret"],
        domain="acme.my",
        session=sf_inprocess,
    )
    assert token.startswith(sf_org.id[:15] + "!"), token


def test_simple_salesforce_password_oauth_login_then_rest(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    sf = Salesforce(
        username="user@test.org",
        password="user-pass-1",
        security_token="USERTOK",
        consumer_key=sf_org.app["client_id"],
        consumer_secret=sf_org.app["client_secret"],
        domain="login",
        session=sf_inprocess,
    )
    assert sf.session_id.startswith(sf_org.id[:15] + "!"), sf.session_id
