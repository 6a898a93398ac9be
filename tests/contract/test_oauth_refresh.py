"""Refresh tokens: policies, rotation, the five-grant limit, revocation, concurrent refresh."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_authorize import authorize, exchange, oauth_error

EXPIRED = {"error": "invalid_grant", "error_description": "expired access/refresh token"}


def connect(sf_org: OrgHandle, **params: str) -> dict[str, Any]:
    """A fresh grant: the web-server flow with the refresh_token scope."""
    code = authorize(sf_org, scope="api refresh_token", **params)["code"]
    response = exchange(sf_org, code)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def refresh(sf_org: OrgHandle, token: str, **extra: str) -> requests.Response:
    data = {
        "grant_type": "refresh_token",
        "refresh_token": token,
        "client_id": sf_org.app["client_id"],
        **extra,
    }
    return requests.post(f"{sf_org.base_url}/services/oauth2/token", data=data, timeout=10)


def set_app(sf_org: OrgHandle, **policy: Any) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", policy)


def rest_status(sf_org: OrgHandle, access_token: str) -> int:
    response = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )
    return response.status_code


def wait_until_fault_seen(sf_org: OrgHandle, fault_id: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        faults = sf_org.control.call("GET", "/faults")
        if any(f["id"] == fault_id and f["seen"] for f in faults):
            return
        time.sleep(0.01)
    raise AssertionError(f"fault {fault_id} never saw the first refresh")


def test_refresh_returns_a_new_access_token_and_no_refresh_token(sf_org: OrgHandle) -> None:
    first = connect(sf_org)
    response = refresh(sf_org, first["refresh_token"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body, body
    assert body["access_token"] != first["access_token"]
    assert body["scope"] == "api refresh_token", body
    assert rest_status(sf_org, body["access_token"]) == 200


def test_refresh_with_client_secret_checks_it(sf_org: OrgHandle) -> None:
    token = connect(sf_org)["refresh_token"]
    assert oauth_error(refresh(sf_org, token, client_secret="bad"))["error"] == "invalid_client"
    assert refresh(sf_org, token, client_secret=sf_org.app["client_secret"]).status_code == 200


def test_refresh_with_garbage_or_access_token_is_expired(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    assert oauth_error(refresh(sf_org, "5Aep861garbage")) == EXPIRED
    assert oauth_error(refresh(sf_org, tokens["access_token"])) == EXPIRED


def test_refresh_policy_immediately_expires_the_token(sf_org: OrgHandle) -> None:
    set_app(sf_org, refresh_token_policy={"type": "immediately"})
    tokens = connect(sf_org)
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == EXPIRED
    assert rest_status(sf_org, tokens["access_token"]) == 200


def test_refresh_policy_expire_after_counts_from_issue(sf_org: OrgHandle) -> None:
    set_app(sf_org, refresh_token_policy={"type": "expire_after", "seconds": 3600})
    token = connect(sf_org)["refresh_token"]
    sf_org.control.advance_clock(minutes=50)
    assert refresh(sf_org, token).status_code == 200
    sf_org.control.advance_clock(minutes=20)
    assert oauth_error(refresh(sf_org, token)) == EXPIRED


def test_refresh_policy_expire_if_unused_counts_from_last_use(sf_org: OrgHandle) -> None:
    set_app(sf_org, refresh_token_policy={"type": "expire_if_unused", "seconds": 3600})
    token = connect(sf_org)["refresh_token"]
    for _ in range(3):
        sf_org.control.advance_clock(minutes=50)
        assert refresh(sf_org, token).status_code == 200
    sf_org.control.advance_clock(minutes=61)
    assert oauth_error(refresh(sf_org, token)) == EXPIRED


def test_rotation_returns_a_new_refresh_token_and_kills_the_old(sf_org: OrgHandle) -> None:
    set_app(sf_org, rotation=True)
    old = connect(sf_org)["refresh_token"]
    body = refresh(sf_org, old).json()
    new = body["refresh_token"]
    assert new != old, body
    second = refresh(sf_org, new)
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] != new


def test_rotation_reuse_of_an_old_token_revokes_the_grant(sf_org: OrgHandle) -> None:
    set_app(sf_org, rotation=True)
    old = connect(sf_org)["refresh_token"]
    body = refresh(sf_org, old).json()
    assert oauth_error(refresh(sf_org, old)) == EXPIRED
    assert oauth_error(refresh(sf_org, body["refresh_token"])) == EXPIRED
    assert rest_status(sf_org, body["access_token"]) == 401


def test_sixth_grant_revokes_the_oldest(sf_org: OrgHandle) -> None:
    grants = [connect(sf_org) for _ in range(6)]
    assert oauth_error(refresh(sf_org, grants[0]["refresh_token"])) == EXPIRED
    assert rest_status(sf_org, grants[0]["access_token"]) == 401
    for tokens in grants[1:]:
        assert refresh(sf_org, tokens["refresh_token"]).status_code == 200
    listed = sf_org.control.call("GET", "/users/user@test.org/grants")
    assert [g["revoked"] for g in listed] == [True, False, False, False, False, False], listed


def test_revoking_a_refresh_token_kills_its_access_tokens(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    refreshed = refresh(sf_org, tokens["refresh_token"]).json()
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/revoke",
        data={"token": tokens["refresh_token"]},
        timeout=10,
    )
    assert response.status_code == 200 and response.text == "", response.text
    assert rest_status(sf_org, tokens["access_token"]) == 401
    assert rest_status(sf_org, refreshed["access_token"]) == 401
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == EXPIRED


def test_password_change_ends_refresh_tokens(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    sf_org.control.update_user("user@test.org", password="changed-pass-9")
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == EXPIRED
    assert rest_status(sf_org, tokens["access_token"]) == 401


def test_deactivated_user_refresh_is_inactive_user(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    sf_org.control.update_user("user@test.org", active=False)
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == {
        "error": "invalid_grant",
        "error_description": "inactive user",
    }
    assert rest_status(sf_org, tokens["access_token"]) == 401


def test_control_plane_revokes_a_users_tokens(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    ended = sf_org.control.call("DELETE", "/users/user@test.org/sessions")
    assert ended["grants"] == 1 and ended["access_tokens"] >= 1, ended
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == EXPIRED


def test_control_plane_revokes_one_grant(sf_org: OrgHandle) -> None:
    keep, drop = connect(sf_org), connect(sf_org)
    grant_id = sf_org.control.call("GET", "/users/user@test.org/grants")[1]["id"]
    sf_org.control.call("DELETE", f"/users/user@test.org/grants/{grant_id}")
    assert oauth_error(refresh(sf_org, drop["refresh_token"])) == EXPIRED
    assert refresh(sf_org, keep["refresh_token"]).status_code == 200


def test_blocked_app_cannot_refresh_and_its_sessions_end(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    set_app(sf_org, blocked=True)
    assert oauth_error(refresh(sf_org, tokens["refresh_token"]))["error"] == "OAUTH_APP_BLOCKED"
    assert rest_status(sf_org, tokens["access_token"]) == 401


def test_concurrent_refresh_of_one_token_is_refused(sf_org: OrgHandle) -> None:
    token = connect(sf_org)["refresh_token"]
    fault = sf_org.control.add_fault(match={"operation": "refresh_token"}, latency_ms=800)
    results: list[requests.Response] = []
    slow = threading.Thread(target=lambda: results.append(refresh(sf_org, token)))
    slow.start()
    wait_until_fault_seen(sf_org, fault["id"])  # the first refresh is now in flight
    second = refresh(sf_org, token)
    slow.join()
    assert results[0].status_code == 200, results[0].text
    assert oauth_error(second) == {
        "error": "invalid_grant",
        "error_description": "Token request is already being processed",
    }
    assert refresh(sf_org, token).status_code == 200


def test_control_plane_revokes_every_token_of_an_app(sf_org: OrgHandle) -> None:
    tokens = connect(sf_org)
    ended = sf_org.control.call("POST", f"/apps/{sf_org.app['client_id']}/revoke")
    assert ended == {"access_tokens": 1, "grants": 1}, ended
    assert rest_status(sf_org, tokens["access_token"]) == 401
    assert oauth_error(refresh(sf_org, tokens["refresh_token"])) == EXPIRED
