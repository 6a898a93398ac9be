"""What happens to access tokens on the REST API: expiry, revocation, user states, scopes; and
that tokens and secrets are never stored or journaled in clear."""

from __future__ import annotations

import requests
from flask import Flask

from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_authorize import authorize, exchange
from tests.contract.test_oauth_refresh import connect, refresh
from tests.contract.test_oauth_token import password_call

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def describe_global(sf_org: OrgHandle, token: str) -> requests.Response:
    return requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_session_expires_after_two_idle_hours_on_the_mock_clock(sf_org: OrgHandle) -> None:
    token = password_call(sf_org).json()["access_token"]
    sf_org.control.advance_clock(minutes=100)
    assert describe_global(sf_org, token).status_code == 200
    sf_org.control.advance_clock(minutes=100)
    assert describe_global(sf_org, token).status_code == 200, "activity resets the idle timer"
    sf_org.control.advance_clock(minutes=121)
    response = describe_global(sf_org, token)
    assert (response.status_code, response.json()) == (401, INVALID_SESSION), response.text


def test_session_timeout_follows_the_org_setting(sf_org: OrgHandle) -> None:
    sf_org.control.settings(session_timeout_seconds=900)
    token = password_call(sf_org).json()["access_token"]
    sf_org.control.advance_clock(minutes=16)
    assert describe_global(sf_org, token).status_code == 401


def test_expire_now_from_the_control_plane(sf_org: OrgHandle) -> None:
    token = password_call(sf_org).json()["access_token"]
    sf_org.control.call("POST", "/users/user@test.org/sessions/expire")
    assert describe_global(sf_org, token).json() == INVALID_SESSION


def test_expired_session_is_renewed_by_refresh(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    sf_org.control.advance_clock(hours=3)
    assert describe_global(sf_org, tokens["access_token"]).status_code == 401
    renewed = refresh(sf_org, tokens["refresh_token"]).json()["access_token"]
    assert describe_global(sf_org, renewed).status_code == 200


def test_frozen_or_inactive_users_sessions_end(sf_org: OrgHandle) -> None:
    first = password_call(sf_org).json()["access_token"]
    sf_org.control.update_user("user@test.org", frozen=True)
    assert describe_global(sf_org, first).json() == INVALID_SESSION
    sf_org.control.update_user("user@test.org", frozen=False)
    second = password_call(sf_org).json()["access_token"]
    assert describe_global(sf_org, second).status_code == 200
    sf_org.control.update_user("user@test.org", active=False)
    assert describe_global(sf_org, second).json() == INVALID_SESSION


def test_token_without_api_scope_is_not_valid_for_rest(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="id refresh_token")["code"]).json()
    response = describe_global(sf_org, body["access_token"])
    assert response.status_code == 401, response.text
    assert response.json() == [
        {
            "message": "This session is not valid for use with the REST API",
            "errorCode": "INVALID_SESSION_ID",
        }
    ]


def test_user_without_api_enabled_gets_api_currently_disabled(sf_org: OrgHandle) -> None:
    token = password_call(sf_org).json()["access_token"]
    sf_org.control.update_profile("Standard User", user_permissions={"ApiEnabled": False})
    response = describe_global(sf_org, token)
    assert response.status_code == 403, response.text
    assert response.json()[0]["errorCode"] == "API_CURRENTLY_DISABLED", response.text


def test_tokens_and_secrets_are_never_stored_in_clear(
    sf_org: OrgHandle, mock_salesforce_app: Flask
) -> None:
    tokens = connect(sf_org)
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"rotation": True})
    rotated = refresh(sf_org, tokens["refresh_token"]).json()
    http = requests.Session()
    code = authorize(sf_org, http=http)["code"]
    cookie = http.cookies.get("sid")
    assert cookie, "the login page sets a browser session cookie"
    secrets = {
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "rotated access token": rotated["access_token"],
        "rotated refresh token": rotated["refresh_token"],
        "authorization code": code,
        "browser session": cookie,
        "password": "user-pass-1",
    }
    store = mock_salesforce_app.extensions["mock_salesforce"].registry.get(sf_org.id)
    image = store.snapshot()
    journal = str(sf_org.control.journal())
    for name, secret in secrets.items():
        opaque = secret.split("!", 1)[-1]
        assert opaque.encode() not in image, f"the {name} is in the org database in clear"
        assert opaque not in journal, f"the {name} is in the journal"
