"""The authorize flow re-checks at every step; forms need their CSRF token; pages refuse frames;
JWT assertions must be short-lived; a replayed code revokes what its first use bought."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_authorize import (
    Page,
    authorize,
    authorize_url,
    callback_params,
    exchange,
    oauth_error,
    submit,
)
from tests.contract.test_oauth_jwt import assertion, jwt_call, key_pair

API_ONLY = "Minimum Access - API Only Integrations"


def _logged_in(sf_org: OrgHandle, username: str, password: str) -> requests.Session:
    """A browser logged in as ``username`` (whatever the login step answered)."""
    http = requests.Session()
    page = http.get(authorize_url(sf_org), timeout=10)
    submit(http, page, "login", username=username, password=password)
    assert http.cookies.get("sid"), "the login should have opened a browser session"
    return http


def _post_consent(sf_org: OrgHandle, http: requests.Session, **params: str) -> requests.Response:
    """The consent form posted straight away, as a script holding the browser session would."""
    data = {"step": "consent", "decision": "allow", "csrf_token": http.cookies.get("csrf", "")}
    return http.post(authorize_url(sf_org, **params), data=data, allow_redirects=False, timeout=10)


def _app(sf_org: OrgHandle, **change: Any) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", change)


# -- every step re-checks ----------------------------------------------------------------------
def test_api_only_user_posting_the_consent_form_gets_no_code(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("integ@test.org", profile=API_ONLY, password="integ-pass-1")
    http = _logged_in(sf_org, "integ@test.org", "integ-pass-1")
    answer = _post_consent(sf_org, http)
    assert answer.status_code == 200, (answer.status_code, answer.headers.get("Location"))
    assert "Access Restricted for API Only Users" in answer.text, answer.text[:300]


def test_unapproved_user_posting_consent_to_an_admin_approved_app_is_denied(
    sf_org: OrgHandle,
) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    _app(sf_org, permitted_users="admin_approved", approved_profiles=["System Administrator"])
    params = callback_params(_post_consent(sf_org, http, state="c"))
    assert params.get("error") == "OAUTH_APP_ACCESS_DENIED", params
    assert "code" not in params, params


def test_immediate_with_a_session_re_checks_admin_approval(sf_org: OrgHandle) -> None:
    http = requests.Session()
    authorize(sf_org, http=http)
    _app(sf_org, permitted_users="admin_approved", approved_profiles=["System Administrator"])
    again = http.get(authorize_url(sf_org, immediate="true"), allow_redirects=False, timeout=10)
    assert callback_params(again).get("error") == "OAUTH_APP_ACCESS_DENIED", again.headers


def test_consent_post_to_a_blocked_app_is_refused(sf_org: OrgHandle) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    _app(sf_org, blocked=True)
    assert callback_params(_post_consent(sf_org, http)).get("error") == "OAUTH_APP_BLOCKED"


def test_consent_post_with_an_unregistered_redirect_uri_is_an_error_page(
    sf_org: OrgHandle,
) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    answer = _post_consent(sf_org, http, redirect_uri="http://localhost:8080/callback/evil")
    assert answer.status_code == 400, (answer.status_code, answer.headers.get("Location"))
    assert "error=redirect_uri_mismatch" in answer.text, answer.text[:300]


def test_consent_post_without_the_required_pkce_challenge_is_refused(sf_org: OrgHandle) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    _app(sf_org, pkce_required=True)
    assert callback_params(_post_consent(sf_org, http)).get("error") == "invalid_request"


def test_consent_post_after_the_user_is_frozen_goes_back_to_login(sf_org: OrgHandle) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    sf_org.control.update_user("user@test.org", frozen=True)
    answer = _post_consent(sf_org, http)
    assert answer.status_code == 200 and "login" in Page(answer.text).forms, answer.text[:300]


# -- CSRF and framing ----------------------------------------------------------------------------
def test_login_post_without_the_csrf_token_is_refused(sf_org: OrgHandle) -> None:
    http = requests.Session()
    http.get(authorize_url(sf_org), timeout=10)
    data = {"step": "login", "username": "user@test.org", "password": "user-pass-1"}
    answer = http.post(authorize_url(sf_org), data=data, allow_redirects=False, timeout=10)
    assert answer.status_code == 403, (answer.status_code, answer.text[:300])
    assert "error=invalid_request" in answer.text, answer.text[:300]
    assert "sid" not in answer.cookies, "no browser session for a forged login"


def test_consent_post_with_another_browsers_csrf_token_is_refused(sf_org: OrgHandle) -> None:
    http = _logged_in(sf_org, "user@test.org", "user-pass-1")
    other = requests.Session()
    other.get(authorize_url(sf_org), timeout=10)
    data = {"step": "consent", "decision": "allow", "csrf_token": other.cookies["csrf"]}
    answer = http.post(authorize_url(sf_org), data=data, allow_redirects=False, timeout=10)
    assert answer.status_code == 403, (answer.status_code, answer.headers.get("Location"))


def test_authorize_pages_refuse_to_be_framed(sf_org: OrgHandle) -> None:
    page = requests.get(authorize_url(sf_org), timeout=10)
    error = requests.get(authorize_url(sf_org, client_id="nope"), timeout=10)
    for answer in (page, error):
        assert answer.headers.get("X-Frame-Options") == "DENY", answer.headers
        csp = answer.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, answer.headers


# -- JWT lifetimes -------------------------------------------------------------------------------
@pytest.fixture
def signed_org(sf_org: OrgHandle) -> OrgHandle:
    """The app holds the test certificate and the standard user approved it."""
    _app(sf_org, certificate=key_pair()[1])
    sf_org.control.call(
        "POST", "/users/user@test.org/approvals", {"client_id": sf_org.app["client_id"]}
    )
    return sf_org


def test_jwt_with_a_non_finite_exp_is_an_invalid_assertion(signed_org: OrgHandle) -> None:
    for exp in ("Infinity", "NaN", "1e400", True):
        body = oauth_error(jwt_call(signed_org, assertion(signed_org, exp=exp)))
        wanted = {"error": "invalid_grant", "error_description": "invalid assertion"}
        assert body == wanted, (exp, body)


def test_jwt_expiring_far_in_the_future_is_refused(signed_org: OrgHandle) -> None:
    far = assertion(signed_org, exp=int(time.time()) + 3600)
    assert oauth_error(jwt_call(signed_org, far))["error_description"] == "invalid assertion"
    near = jwt_call(signed_org, assertion(signed_org, exp=int(time.time()) + 300))
    assert near.status_code == 200, near.text


def test_jwt_with_a_future_nbf_is_refused(signed_org: OrgHandle) -> None:
    later = assertion(signed_org, nbf=int(time.time()) + 900)
    assert oauth_error(jwt_call(signed_org, later))["error_description"] == "invalid assertion"
    now = jwt_call(signed_org, assertion(signed_org, nbf=int(time.time()) - 5))
    assert now.status_code == 200, now.text


# -- code replay ---------------------------------------------------------------------------------
def test_replaying_a_code_revokes_the_tokens_of_its_first_use(sf_org: OrgHandle) -> None:
    code = authorize(sf_org, scope="api refresh_token")["code"]
    first = exchange(sf_org, code).json()
    rest = f"{sf_org.base_url}/services/data/v59.0/sobjects"
    bearer = {"Authorization": f"Bearer {first['access_token']}"}
    assert requests.get(rest, headers=bearer, timeout=10).status_code == 200
    replay = oauth_error(exchange(sf_org, code))
    assert replay["error"] == "invalid_grant", replay
    after = requests.get(rest, headers=bearer, timeout=10)
    assert after.status_code == 401, ("the first access token must be revoked", after.text)
    refresh = requests.post(
        f"{sf_org.base_url}/services/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": sf_org.app["client_id"],
            "client_secret": sf_org.app["client_secret"],
        },
        timeout=10,
    )
    assert oauth_error(refresh)["error"] == "invalid_grant", refresh.text
