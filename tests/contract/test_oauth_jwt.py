"""The JWT bearer flow with a freshly generated RSA key and self-signed certificate."""

from __future__ import annotations

import datetime as dt
import functools
import time
from typing import Any

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mock_salesforce.oauth.jwt_bearer import JWT_BEARER
from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_authorize import authorize, oauth_error

LOGIN = "https://login.salesforce.com"


@functools.cache
def key_pair(name: str = "main") -> tuple[rsa.RSAPrivateKey, str]:
    """An RSA key and a self-signed certificate for it (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"jwt-{name}")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def jwt_org(sf_org: OrgHandle) -> OrgHandle:
    """The test org whose app holds the certificate; the standard user has approved the app."""
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"certificate": key_pair()[1]})
    sf_org.control.call(
        "POST", "/users/user@test.org/approvals", {"client_id": sf_org.app["client_id"]}
    )
    return sf_org


def assertion(sf_org: OrgHandle, key: Any = None, algorithm: str = "RS256", **claims: Any) -> str:
    payload: dict[str, Any] = {
        "iss": sf_org.app["client_id"],
        "sub": "user@test.org",
        "aud": LOGIN,
        "exp": str(int(time.time()) + 180),
    }
    payload.update(claims)
    return jwt.encode(payload, key if key is not None else key_pair()[0], algorithm=algorithm)


def jwt_call(sf_org: OrgHandle, token: str) -> requests.Response:
    return requests.post(
        f"{sf_org.base_url}/services/oauth2/token",
        data={"grant_type": JWT_BEARER, "assertion": token},
        timeout=10,
    )


def test_jwt_bearer_returns_a_token_for_sub_and_no_refresh_token(jwt_org: OrgHandle) -> None:
    response = jwt_call(jwt_org, assertion(jwt_org))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].endswith("/" + jwt_org.users["user@test.org"]), body
    assert "refresh_token" not in body and "refresh_token" not in body["scope"].split(), body


@pytest.mark.parametrize(
    "exp",
    [lambda now: now + 120, lambda now: str(now + 120), lambda now: (now + 120) * 1000],
    ids=["seconds", "string", "milliseconds"],
)
def test_jwt_exp_accepted_as_number_string_or_milliseconds(jwt_org: OrgHandle, exp: Any) -> None:
    response = jwt_call(jwt_org, assertion(jwt_org, exp=exp(int(time.time()))))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "aud", [LOGIN, "https://test.salesforce.com", "SELF"], ids=["login", "test", "mock"]
)
def test_jwt_accepts_login_hosts_and_the_mock_url_as_audience(jwt_org: OrgHandle, aud: str) -> None:
    audience = jwt_org.base_url if aud == "SELF" else aud
    assert jwt_call(jwt_org, assertion(jwt_org, aud=audience)).status_code == 200


def test_jwt_wrong_audience_fails_validation(jwt_org: OrgHandle) -> None:
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org, aud="https://example.com")))
    assert body == {"error": "invalid_grant", "error_description": "Audience validation failed"}


def test_jwt_expired_assertion_is_refused(jwt_org: OrgHandle) -> None:
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org, exp=int(time.time()) - 600)))
    assert body["error"] == "invalid_grant", body


def test_jwt_exp_is_judged_on_the_mock_clock(jwt_org: OrgHandle) -> None:
    jwt_org.control.advance_clock(hours=1)
    assert oauth_error(jwt_call(jwt_org, assertion(jwt_org)))["error"] == "invalid_grant"


def test_jwt_signed_with_another_key_is_invalid_assertion(jwt_org: OrgHandle) -> None:
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org, key=key_pair("other")[0])))
    assert body == {"error": "invalid_grant", "error_description": "invalid assertion"}


def test_jwt_hs256_is_invalid_assertion(jwt_org: OrgHandle) -> None:
    token = assertion(jwt_org, key="a-shared-secret-of-at-least-32-bytes!!", algorithm="HS256")
    assert oauth_error(jwt_call(jwt_org, token))["error_description"] == "invalid assertion"


def test_jwt_garbage_is_invalid_assertion(jwt_org: OrgHandle) -> None:
    assert oauth_error(jwt_call(jwt_org, "not.a.jwt"))["error_description"] == "invalid assertion"


def test_jwt_unknown_issuer_is_invalid_client_id(jwt_org: OrgHandle) -> None:
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org, iss="3MVG9unknown")))
    assert body["error"] == "invalid_client_id", body


def test_jwt_user_who_never_approved_is_refused(jwt_org: OrgHandle) -> None:
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org, sub="admin@test.org")))
    assert body == {
        "error": "invalid_grant",
        "error_description": "user hasn't approved this consumer",
    }


def test_jwt_interactive_approval_counts_as_pre_approval(jwt_org: OrgHandle) -> None:
    authorize(jwt_org, username="admin@test.org", password="admin-pass-1")
    assert jwt_call(jwt_org, assertion(jwt_org, sub="admin@test.org")).status_code == 200


def test_jwt_admin_approved_app_needs_profile_or_permission_set(jwt_org: OrgHandle) -> None:
    jwt_org.control.call(
        "PATCH",
        f"/apps/{jwt_org.app['client_id']}",
        {"permitted_users": "admin_approved", "approved_profiles": ["System Administrator"]},
    )
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org)))
    assert body == {
        "error": "invalid_app_access",
        "error_description": "user is not admin approved to access this app",
    }
    assert jwt_call(jwt_org, assertion(jwt_org, sub="admin@test.org")).status_code == 200


def test_jwt_works_for_api_only_users(jwt_org: OrgHandle) -> None:
    jwt_org.control.create_user("integ@test.org", profile="Minimum Access - API Only Integrations")
    jwt_org.control.call(
        "POST", "/users/integ@test.org/approvals", {"client_id": jwt_org.app["client_id"]}
    )
    assert jwt_call(jwt_org, assertion(jwt_org, sub="integ@test.org")).status_code == 200


def test_jwt_inactive_user_is_inactive_user(jwt_org: OrgHandle) -> None:
    jwt_org.control.update_user("user@test.org", active=False)
    assert (
        oauth_error(jwt_call(jwt_org, assertion(jwt_org)))["error_description"] == "inactive user"
    )


def test_jwt_refused_once_the_approval_is_forgotten(jwt_org: OrgHandle) -> None:
    jwt_org.control.call("DELETE", f"/users/user@test.org/approvals/{jwt_org.app['client_id']}")
    body = oauth_error(jwt_call(jwt_org, assertion(jwt_org)))
    assert body["error_description"] == "user hasn't approved this consumer", body
