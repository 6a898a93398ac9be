"""The token endpoint's password and client-credentials grants, its response and its errors."""

from __future__ import annotations

import base64
import hashlib
import hmac

import requests

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient
from tests.contract.test_oauth_authorize import oauth_error


def token_call(sf_org: OrgHandle, host: str | None = None, **form: str) -> requests.Response:
    headers = {"Host": host} if host else {}
    return requests.post(
        f"{sf_org.base_url}/services/oauth2/token", data=form, headers=headers, timeout=10
    )


def password_call(
    sf_org: OrgHandle,
    username: str = "user@test.org",
    password: str = "user-pass-1USERTOK",
    **extra: str,
) -> requests.Response:
    form = {
        "grant_type": "password",
        "client_id": sf_org.app["client_id"],
        "client_secret": sf_org.app["client_secret"],
        "username": username,
        "password": password,
    }
    return token_call(sf_org, **{**form, **extra})


def client_credentials_call(sf_org: OrgHandle, host: str | None = None) -> requests.Response:
    return token_call(
        sf_org,
        host,
        grant_type="client_credentials",
        client_id=sf_org.app["client_id"],
        client_secret=sf_org.app["client_secret"],
    )


# -- the response ----------------------------------------------------------------------------
def test_token_response_has_salesforce_shape(sf_org: OrgHandle) -> None:
    response = password_call(sf_org)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == [
        "access_token",
        "signature",
        "scope",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
    ], body
    user_id = sf_org.users["user@test.org"]
    assert body["id"] == f"{sf_org.base_url}/id/{sf_org.id}/{user_id}", body
    assert body["instance_url"] == sf_org.base_url and not body["instance_url"].endswith("/")
    assert body["token_type"] == "Bearer"
    assert isinstance(body["issued_at"], str) and len(body["issued_at"]) == 13, body
    assert "expires_in" not in body and "refresh_token" not in body


def test_token_signature_is_hmac_of_id_and_issued_at(sf_org: OrgHandle) -> None:
    body = password_call(sf_org).json()
    key = sf_org.app["client_secret"].encode()
    expected = hmac.new(key, (body["id"] + body["issued_at"]).encode(), hashlib.sha256).digest()
    assert body["signature"] == base64.b64encode(expected).decode(), body


def test_token_issued_at_follows_the_mock_clock(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T09:00:00Z")
    assert password_call(sf_org).json()["issued_at"] == "1714554000000"


def test_token_errors_are_not_cached(sf_org: OrgHandle) -> None:
    response = password_call(sf_org, password="wrong")
    assert "no-store" in response.headers["Cache-Control"], response.headers


# -- client errors ---------------------------------------------------------------------------
def test_token_unknown_client_is_invalid_client_id(sf_org: OrgHandle) -> None:
    body = oauth_error(token_call(sf_org, grant_type="password", client_id="3MVG9nobody"))
    assert body == {"error": "invalid_client_id", "error_description": "client identifier invalid"}


def test_token_wrong_secret_is_invalid_client(sf_org: OrgHandle) -> None:
    response = password_call(sf_org, client_secret="nope")
    assert oauth_error(response) == {
        "error": "invalid_client",
        "error_description": "invalid client credentials",
    }


def test_token_unknown_grant_type_is_unsupported(sf_org: OrgHandle) -> None:
    body = oauth_error(token_call(sf_org, grant_type="magic", client_id=sf_org.app["client_id"]))
    assert body == {
        "error": "unsupported_grant_type",
        "error_description": "grant type not supported",
    }


# -- password --------------------------------------------------------------------------------
def test_password_flow_accepts_password_alone(sf_org: OrgHandle) -> None:
    response = password_call(sf_org, password="user-pass-1")
    assert response.status_code == 200, response.text


def test_password_flow_wrong_password_is_authentication_failure(sf_org: OrgHandle) -> None:
    assert oauth_error(password_call(sf_org, password="user-pass-1WRONG")) == {
        "error": "invalid_grant",
        "error_description": "authentication failure",
    }


def test_password_flow_unknown_user_is_authentication_failure(sf_org: OrgHandle) -> None:
    body = oauth_error(password_call(sf_org, username="ghost@test.org"))
    assert body["error_description"] == "authentication failure", body


def test_password_flow_switched_off_is_authentication_failure(sf_org: OrgHandle) -> None:
    sf_org.control.settings(password_flow_enabled=False)
    assert oauth_error(password_call(sf_org))["error_description"] == "authentication failure"


def test_password_flow_inactive_user_is_inactive_user(sf_org: OrgHandle) -> None:
    sf_org.control.update_user("user@test.org", active=False)
    assert oauth_error(password_call(sf_org)) == {
        "error": "invalid_grant",
        "error_description": "inactive user",
    }


def test_password_flow_frozen_user_is_refused(sf_org: OrgHandle) -> None:
    sf_org.control.update_user("user@test.org", frozen=True)
    assert oauth_error(password_call(sf_org))["error"] == "invalid_grant"


def test_password_flow_outside_profile_ip_ranges_is_ip_restricted(sf_org: OrgHandle) -> None:
    sf_org.control.update_profile("Standard User", login_ip_ranges=[["10.0.0.0", "10.0.0.255"]])
    assert oauth_error(password_call(sf_org)) == {
        "error": "invalid_grant",
        "error_description": "ip restricted or invalid login hours",
    }
    sf_org.control.update_profile("Standard User", login_ip_ranges=[["127.0.0.0", "127.0.0.255"]])
    assert password_call(sf_org).status_code == 200


def test_password_flow_new_password_works_and_old_fails(sf_org: OrgHandle) -> None:
    sf_org.control.update_user("user@test.org", password="new-pass-2", security_token="NEWTOK")
    assert password_call(sf_org).status_code == 400
    assert password_call(sf_org, password="new-pass-2NEWTOK").status_code == 200


# -- client credentials ----------------------------------------------------------------------
def test_client_credentials_token_acts_as_run_as_user(sf_org: OrgHandle) -> None:
    response = client_credentials_call(sf_org)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].endswith("/" + sf_org.users["admin@test.org"]), body
    assert "refresh_token" not in body
    assert not {"full", "web", "refresh_token"} & set(body["scope"].split()), body


def test_client_credentials_with_basic_auth(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(sf_org.app["client_id"], sf_org.app["client_secret"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_client_credentials_on_login_host_is_not_supported(sf_org: OrgHandle) -> None:
    for host in ("login.salesforce.com", "test.salesforce.com"):
        assert oauth_error(client_credentials_call(sf_org, host)) == {
            "error": "invalid_grant",
            "error_description": "request not supported on this domain",
        }


def test_client_credentials_without_run_as_user_is_refused(sf_org: OrgHandle) -> None:
    sf_org.control.call(
        "PATCH", f"/apps/{sf_org.app['client_id']}", {"client_credentials_user": None}
    )
    assert oauth_error(client_credentials_call(sf_org)) == {
        "error": "invalid_grant",
        "error_description": "no client credentials user enabled",
    }


def test_client_credentials_blocked_app_is_refused(sf_org: OrgHandle) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"blocked": True})
    assert oauth_error(client_credentials_call(sf_org))["error"] == "OAUTH_APP_BLOCKED"


# -- faults and the journal ------------------------------------------------------------------
def test_token_fault_answers_the_chosen_oauth_error(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"api": "oauth", "operation": "password"},
        error={"error": "invalid_grant", "error_description": "authentication failure"},
    )
    assert oauth_error(password_call(sf_org))["error_description"] == "authentication failure"
    assert password_call(sf_org).status_code == 200


def test_token_calls_are_journaled_without_secrets(sf_org: OrgHandle) -> None:
    body = password_call(sf_org).json()
    password_call(sf_org, password="wrong")
    entries = sf_org.control.journal(api="oauth")
    assert [(e["operation"], e["status"], e["error_code"]) for e in entries] == [
        ("password", 200, None),
        ("password", 400, "invalid_grant"),
    ], entries
    assert entries[0]["username"] == "user@test.org" and entries[0]["client_id"], entries
    text = str(entries)
    for secret in (body["access_token"], sf_org.app["client_secret"], "user-pass-1"):
        assert secret not in text


def test_same_client_id_in_two_orgs_routes_by_username(
    sf_org: OrgHandle, mock_salesforce_control: ControlClient
) -> None:
    app = {
        "name": "Shared App",
        "client_id": sf_org.app["client_id"],
        "client_secret": sf_org.app["client_secret"],
    }
    user = {"username": "other@other.org", "password": "other-pass-1", "security_token": "OTOK"}
    other = mock_salesforce_control.seed(
        {"orgs": [{"name": "Other", "users": [user], "connected_apps": [app]}]}
    )[0]
    try:
        body = password_call(sf_org, username="other@other.org", password="other-pass-1OTOK")
        assert body.status_code == 200, body.text
        assert body.json()["access_token"].startswith(other["id"][:15] + "!"), body.json()
        mine = password_call(sf_org).json()
        assert mine["access_token"].startswith(sf_org.id[:15] + "!"), mine
    finally:
        mock_salesforce_control.delete_org(other["id"])
