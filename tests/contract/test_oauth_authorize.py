"""The web-server flow driven through its pages with ``requests``, as a browser would.

The helpers here (``Page``, ``authorize``, ``exchange``) are imported by the other OAuth tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

from mock_salesforce.oauth.grants import pkce_challenge
from mock_salesforce.pytest_plugin import OrgHandle

CALLBACK = "http://localhost:8080/callback"


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The forms of an HTML page: action and the named inputs' values."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: dict[str, Form] = {}
        self._current: Form | None = None
        self.text = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(named.get("action", ""))
            self.forms[named.get("id", str(len(self.forms)))] = self._current
        elif tag == "input" and self._current is not None and named.get("name"):
            self._current.fields[named["name"]] = named.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def authorize_url(sf_org: OrgHandle, **params: str) -> str:
    query = {
        "response_type": "code",
        "client_id": sf_org.app["client_id"],
        "redirect_uri": CALLBACK,
    }
    query.update(params)
    return f"{sf_org.base_url}/services/oauth2/authorize?{urlencode(query)}"


def submit(
    http: requests.Session, page: requests.Response, form_id: str, **values: str
) -> requests.Response:
    """Fill and post one form of ``page`` (redirects are not followed)."""
    form = Page(page.text).forms.get(form_id)
    assert form is not None, f"no form '{form_id}' on the page: {page.text[:400]}"
    data = {**form.fields, **values}
    return http.post(urljoin(page.url, form.action), data=data, allow_redirects=False, timeout=10)


def callback_params(response: requests.Response) -> dict[str, str]:
    """The query parameters of the redirect to the app's callback."""
    assert response.status_code == 302, (
        f"expected a redirect, got {response.status_code}: {response.text[:300]}"
    )
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def authorize(
    sf_org: OrgHandle,
    username: str = "user@test.org",
    password: str = "user-pass-1",
    http: requests.Session | None = None,
    decision: str = "allow",
    **params: str,
) -> dict[str, str]:
    """Log in and answer the consent page; the callback's parameters (``code``, ``state``)."""
    http = http or requests.Session()
    page = http.get(authorize_url(sf_org, **params), allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text[:300]
    answer = submit(http, page, "login", username=username, password=password)
    if answer.status_code == 200 and "consent" in Page(answer.text).forms:
        answer = submit(http, answer, "consent", decision=decision)
    return callback_params(answer)


def exchange(sf_org: OrgHandle, code: str, **extra: str) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": sf_org.app["client_id"],
        "client_secret": sf_org.app["client_secret"],
        "redirect_uri": CALLBACK,
        **extra,
    }
    return requests.post(f"{sf_org.base_url}/services/oauth2/token", data=data, timeout=10)


def oauth_error(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 400, f"expected 400, got {response.status_code}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


# -- the happy path --------------------------------------------------------------------------
def test_authorize_pages_lead_to_a_code_with_state(sf_org: OrgHandle) -> None:
    params = authorize(sf_org, state="xyz 1/2")
    assert params["state"] == "xyz 1/2", params
    assert params["code"].startswith("aPrx") and params["code"].endswith("=="), params


def test_authorization_code_exchange_returns_tokens_that_work(sf_org: OrgHandle) -> None:
    code = authorize(sf_org, scope="api refresh_token id")["code"]
    response = exchange(sf_org, code)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "api refresh_token id", body
    assert body["refresh_token"].startswith("5Aep861"), body
    assert body["access_token"].startswith(sf_org.id[:15] + "!"), body
    rest = requests.get(
        f"{body['instance_url']}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert rest.status_code == 200, rest.text


def test_authorization_code_without_refresh_scope_gets_no_refresh_token(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="api")["code"]).json()
    assert "refresh_token" not in body, body


def test_authorization_code_accepts_basic_client_auth(sf_org: OrgHandle) -> None:
    code = authorize(sf_org)["code"]
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(sf_org.app["client_id"], sf_org.app["client_secret"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_browser_session_skips_login_and_remembered_consent(sf_org: OrgHandle) -> None:
    http = requests.Session()
    authorize(sf_org, http=http)
    again = http.get(authorize_url(sf_org, state="two"), allow_redirects=False, timeout=10)
    assert callback_params(again)["state"] == "two"


def test_prompt_consent_shows_the_consent_page_again(sf_org: OrgHandle) -> None:
    http = requests.Session()
    authorize(sf_org, http=http)
    again = http.get(authorize_url(sf_org, prompt="consent"), allow_redirects=False, timeout=10)
    assert again.status_code == 200 and "consent" in Page(again.text).forms, again.text[:300]


def test_prompt_login_asks_for_the_password_again(sf_org: OrgHandle) -> None:
    http = requests.Session()
    authorize(sf_org, http=http)
    again = http.get(authorize_url(sf_org, prompt="login"), allow_redirects=False, timeout=10)
    assert again.status_code == 200 and "login" in Page(again.text).forms, again.text[:300]


def test_login_hint_prefills_the_username(sf_org: OrgHandle) -> None:
    page = requests.get(authorize_url(sf_org, login_hint="user@test.org"), timeout=10)
    assert Page(page.text).forms["login"].fields["username"] == "user@test.org", page.text


# -- errors shown as pages -------------------------------------------------------------------
def test_authorize_unknown_client_is_an_error_page_not_a_redirect(sf_org: OrgHandle) -> None:
    page = requests.get(
        authorize_url(sf_org, client_id="3MVG9nope"), allow_redirects=False, timeout=10
    )
    assert page.status_code == 400, page.status_code
    assert (
        "error=invalid_client_id&amp;error_description=client%20identifier%20invalid" in page.text
    )


def test_authorize_unregistered_redirect_uri_is_an_error_page(sf_org: OrgHandle) -> None:
    page = requests.get(
        authorize_url(sf_org, redirect_uri="http://evil.example/cb"),
        allow_redirects=False,
        timeout=10,
    )
    assert page.status_code == 400, page.status_code
    assert "error=redirect_uri_mismatch" in page.text, page.text


# -- errors redirected to the callback -------------------------------------------------------
def test_authorize_deny_redirects_access_denied_with_state(sf_org: OrgHandle) -> None:
    params = authorize(sf_org, decision="deny", state="s1")
    assert params == {
        "error": "access_denied",
        "error_description": "end-user denied authorization",
        "state": "s1",
    }, params


def test_authorize_blocked_app_redirects_oauth_app_blocked(sf_org: OrgHandle) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"blocked": True})
    page = requests.get(authorize_url(sf_org, state="b"), allow_redirects=False, timeout=10)
    params = callback_params(page)
    assert params["error"] == "OAUTH_APP_BLOCKED" and params["state"] == "b", params


def test_authorize_admin_approved_app_denies_unassigned_user(sf_org: OrgHandle) -> None:
    sf_org.control.call(
        "PATCH",
        f"/apps/{sf_org.app['client_id']}",
        {"permitted_users": "admin_approved", "approved_profiles": ["System Administrator"]},
    )
    params = authorize(sf_org, state="a")
    assert params["error"] == "OAUTH_APP_ACCESS_DENIED", params
    assert params["error_description"] == "user is not admin approved to access this app"
    admin = authorize(sf_org, username="admin@test.org", password="admin-pass-1")
    assert "code" in admin, admin


def test_authorize_immediate_without_session_redirects_immediate_unsuccessful(
    sf_org: OrgHandle,
) -> None:
    page = requests.get(authorize_url(sf_org, immediate="true"), allow_redirects=False, timeout=10)
    assert callback_params(page)["error"] == "immediate_unsuccessful"


def test_authorize_pkce_required_without_challenge_is_invalid_request(sf_org: OrgHandle) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"pkce_required": True})
    page = requests.get(authorize_url(sf_org), allow_redirects=False, timeout=10)
    assert callback_params(page)["error"] == "invalid_request"


# -- who may log in --------------------------------------------------------------------------
def test_api_only_user_sees_access_restricted_and_gets_no_code(sf_org: OrgHandle) -> None:
    sf_org.control.create_user(
        "integ@test.org", profile="Minimum Access - API Only Integrations", password="integ-pass-1"
    )
    http = requests.Session()
    page = http.get(authorize_url(sf_org), timeout=10)
    answer = submit(http, page, "login", username="integ@test.org", password="integ-pass-1")
    assert answer.status_code == 200, answer.status_code
    assert "Access Restricted for API Only Users" in answer.text, answer.text[:300]
    assert "Location" not in answer.headers


@pytest.mark.parametrize("change", [{"active": False}, {"frozen": True}])
def test_inactive_or_frozen_user_cannot_log_in(sf_org: OrgHandle, change: dict[str, bool]) -> None:
    sf_org.control.update_user("user@test.org", **change)
    http = requests.Session()
    page = http.get(authorize_url(sf_org), timeout=10)
    answer = submit(http, page, "login", username="user@test.org", password="user-pass-1")
    assert answer.status_code == 200 and "Location" not in answer.headers
    assert "Please check your username and password" in answer.text, answer.text[:300]


def test_wrong_password_stays_on_the_login_page(sf_org: OrgHandle) -> None:
    http = requests.Session()
    page = http.get(authorize_url(sf_org), timeout=10)
    answer = submit(http, page, "login", username="user@test.org", password="nope")
    assert "login" in Page(answer.text).forms and 'id="error"' in answer.text


# -- the code at the token endpoint ----------------------------------------------------------
def test_code_is_single_use(sf_org: OrgHandle) -> None:
    code = authorize(sf_org)["code"]
    assert exchange(sf_org, code).status_code == 200
    assert oauth_error(exchange(sf_org, code)) == {
        "error": "invalid_grant",
        "error_description": "expired authorization code",
    }


def test_code_expires_on_the_mock_clock(sf_org: OrgHandle) -> None:
    code = authorize(sf_org)["code"]
    sf_org.control.advance_clock(minutes=16)
    assert oauth_error(exchange(sf_org, code))["error_description"] == "expired authorization code"


def test_code_with_other_redirect_uri_is_redirect_uri_mismatch(sf_org: OrgHandle) -> None:
    code = authorize(sf_org)["code"]
    body = oauth_error(exchange(sf_org, code, redirect_uri="http://localhost:8080/other"))
    assert body == {
        "error": "redirect_uri_mismatch",
        "error_description": "redirect_uri must match configuration",
    }, body


def test_unknown_code_is_invalid_grant(sf_org: OrgHandle) -> None:
    body = oauth_error(exchange(sf_org, "aPrx" + sf_org.id[:15] + "garbage=="))
    assert body["error"] == "invalid_grant", body


def test_code_with_wrong_secret_is_invalid_client(sf_org: OrgHandle) -> None:
    code = authorize(sf_org)["code"]
    body = oauth_error(exchange(sf_org, code, client_secret="wrong"))
    assert body == {"error": "invalid_client", "error_description": "invalid client credentials"}


def test_pkce_verifier_matching_the_challenge_is_accepted(sf_org: OrgHandle) -> None:
    verifier = "v" * 64
    code = authorize(sf_org, code_challenge=pkce_challenge(verifier))["code"]
    response = exchange(sf_org, code, code_verifier=verifier)
    assert response.status_code == 200, response.text


def test_pkce_challenge_without_verifier_is_invalid_grant(sf_org: OrgHandle) -> None:
    code = authorize(sf_org, code_challenge=pkce_challenge("v" * 64))["code"]
    assert oauth_error(exchange(sf_org, code))["error"] == "invalid_grant"


def test_pkce_wrong_verifier_is_invalid_request(sf_org: OrgHandle) -> None:
    code = authorize(sf_org, code_challenge=pkce_challenge("v" * 64))["code"]
    assert oauth_error(exchange(sf_org, code, code_verifier="w" * 64))["error"] == "invalid_request"


def test_immediate_with_session_and_approval_returns_a_code(sf_org: OrgHandle) -> None:
    http = requests.Session()
    authorize(sf_org, http=http)
    page = http.get(
        authorize_url(sf_org, immediate="true", state="i"), allow_redirects=False, timeout=10
    )
    params = callback_params(page)
    assert "code" in params and params["state"] == "i", params


def test_immediate_with_session_but_no_approval_is_unsuccessful(sf_org: OrgHandle) -> None:
    http = requests.Session()
    page = http.get(authorize_url(sf_org), timeout=10)
    consent = submit(http, page, "login", username="user@test.org", password="user-pass-1")
    assert "consent" in Page(consent.text).forms
    again = http.get(authorize_url(sf_org, immediate="true"), allow_redirects=False, timeout=10)
    assert callback_params(again)["error"] == "immediate_unsuccessful"


def test_consent_without_a_browser_session_goes_back_to_login(sf_org: OrgHandle) -> None:
    http = requests.Session()
    login = http.get(authorize_url(sf_org), timeout=10)
    token = Page(login.text).forms["login"].fields["csrf_token"]
    response = http.post(
        authorize_url(sf_org),
        data={"step": "consent", "decision": "allow", "csrf_token": token},
        timeout=10,
    )
    assert response.status_code == 200 and "login" in Page(response.text).forms, response.text


def test_authorize_missing_redirect_uri_is_an_error_page(sf_org: OrgHandle) -> None:
    page = requests.get(authorize_url(sf_org, redirect_uri=""), allow_redirects=False, timeout=10)
    assert page.status_code == 400 and "error=redirect_uri_missing" in page.text, page.text


def test_authorize_token_response_type_is_unsupported(sf_org: OrgHandle) -> None:
    page = requests.get(
        authorize_url(sf_org, response_type="token"), allow_redirects=False, timeout=10
    )
    assert callback_params(page)["error"] == "unsupported_response_type"


def test_authorize_unknown_scope_is_invalid_scope(sf_org: OrgHandle) -> None:
    sf_org.control.call("PATCH", f"/apps/{sf_org.app['client_id']}", {"scopes": ["api", "id"]})
    page = requests.get(authorize_url(sf_org, scope="api full"), allow_redirects=False, timeout=10)
    assert callback_params(page)["error"] == "invalid_scope"


def test_code_of_another_app_is_invalid_grant(sf_org: OrgHandle) -> None:
    other = sf_org.control.save_app(name="Other App", callback_urls=[CALLBACK])
    code = authorize(sf_org)["code"]
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": other["client_id"],
            "client_secret": other["client_secret"],
            "redirect_uri": CALLBACK,
        },
        timeout=10,
    )
    assert oauth_error(response) == {
        "error": "invalid_grant",
        "error_description": "invalid authorization code",
    }


def test_authorize_calls_are_journaled(sf_org: OrgHandle) -> None:
    authorize(sf_org)
    entries = sf_org.control.journal(api="oauth", operation="authorize")
    assert [e["status"] for e in entries] == [200, 200, 302], entries
    assert entries[-1]["username"] == "user@test.org", entries
