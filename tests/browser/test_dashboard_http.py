"""The dashboard over plain HTTP (no browser needed): who gets it at /_mock/, the CSRF guard,
and refusals that are pages saying why, never a 500."""

from __future__ import annotations

import re

import pytest
import requests

from .conftest import DemoOrg

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _form_session(org: DemoOrg, page: str = "") -> tuple[requests.Session, str]:
    """A browser-like session holding the dashboard cookie, and the token its forms carry."""
    session = requests.Session()
    answer = session.get(org.page(page), timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    found = TOKEN.search(answer.text)
    assert found, "no csrf_token in the page"
    return session, found.group(1)


def test_mock_root_redirects_a_browser_to_the_dashboard(demo_org: DemoOrg) -> None:
    answer = requests.get(
        f"{demo_org.base_url}/_mock/",
        headers={"Accept": BROWSER_ACCEPT},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/_mock/ui")


def test_mock_root_answers_json_to_anything_else(demo_org: DemoOrg) -> None:
    answer = requests.get(f"{demo_org.base_url}/_mock/", timeout=30)
    assert answer.status_code == 404, answer.text
    assert "dashboard" in answer.json()["error"]


def test_the_json_control_plane_keeps_its_paths(demo_org: DemoOrg) -> None:
    url = f"{demo_org.base_url}/_mock/orgs"
    answer = requests.get(url, headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert demo_org.id in [o["id"] for o in answer.json()]


def test_a_post_without_the_cookies_token_is_refused_and_changes_nothing(
    demo_org: DemoOrg,
) -> None:
    session, token = _form_session(demo_org, "users")
    url = f"{demo_org.page('users')}/alice@acme.demo/state"
    forged = requests.post(url, data={"action": "deactivate", "csrf_token": token}, timeout=30)
    assert forged.status_code == 403 and "CSRF" in forged.text, forged.text[:300]
    wrong = session.post(url, data={"action": "deactivate", "csrf_token": "0" * 64}, timeout=30)
    assert wrong.status_code == 403, wrong.text[:300]
    assert demo_org.control("GET", "/users/alice@acme.demo").json()["active"] is True


def test_a_form_with_its_token_is_applied(demo_org: DemoOrg) -> None:
    session, token = _form_session(demo_org, "users")
    url = f"{demo_org.page('users')}/alice@acme.demo/state"
    answer = session.post(url, data={"action": "freeze", "csrf_token": token}, timeout=30)
    assert answer.status_code == 200 and "alice@acme.demo frozen" in answer.text
    assert demo_org.control("GET", "/users/alice@acme.demo").json()["frozen"] is True


@pytest.mark.parametrize(
    ("path", "form", "says"),
    [
        ("clock", {"action": "set", "now": "yesterday"}, "is not a date and time"),
        ("clock", {"action": "advance", "amount": "x", "unit": "hours"}, "bad input"),
        ("clock", {"action": "advance", "amount": "1", "unit": "weeks"}, "advance by one of"),
        ("settings", {"key": "api_daily_limit", "value": "many"}, "whole number"),
        ("settings", {"key": "nonsense", "value": "1"}, "unknown org setting"),
        ("faults", {"nth": "1"}, "a fault needs an error"),
        ("faults", {"error_code": "X", "nth": "first"}, "bad input"),
        ("users", {"username": ""}, "&#39;username&#39; is required"),
        ("users/nobody@acme.demo/state", {"action": "freeze"}, "nobody@acme.demo"),
        ("users/alice@acme.demo/state", {"action": "explode"}, "unknown action"),
        ("snapshots", {"name": ""}, "give the snapshot a name"),
        ("snapshots/missing/restore", {}, "no snapshot"),
    ],
)
def test_bad_form_input_answers_a_page_that_says_why(
    demo_org: DemoOrg, path: str, form: dict[str, str], says: str
) -> None:
    session, token = _form_session(demo_org)
    answer = session.post(f"{demo_org.page(path)}", data={**form, "csrf_token": token}, timeout=30)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:500])
    assert answer.headers["Content-Type"].startswith("text/html")
    assert says in answer.text, answer.text[:2000]


def test_an_unknown_org_is_a_404_page(demo_org: DemoOrg) -> None:
    answer = requests.get(f"{demo_org.base_url}/_mock/ui/orgs/00D000000000000AAA/users", timeout=30)
    assert answer.status_code == 404 and "no org" in answer.text


def test_a_soql_error_is_shown_with_its_error_code(demo_org: DemoOrg) -> None:
    answer = requests.get(
        demo_org.page("records"),
        params={"as_user": "alice@acme.demo", "q": "SELEC Id FROM Contact"},
        timeout=30,
    )
    assert answer.status_code == 200 and "MALFORMED_QUERY" in answer.text, answer.text[:500]


def test_soql_as_an_inactive_user_is_refused_as_the_api_would(demo_org: DemoOrg) -> None:
    demo_org.control("PATCH", "/users/alice@acme.demo", json={"active": False})
    answer = requests.get(
        demo_org.page("records"),
        params={"as_user": "alice@acme.demo", "q": "SELECT Id FROM Contact"},
        timeout=30,
    )
    assert "INVALID_SESSION_ID" in answer.text, answer.text[:500]


def test_the_control_plane_guard_covers_the_dashboard(demo_org: DemoOrg) -> None:
    session, token = _form_session(demo_org, "users")
    url = f"{demo_org.page('users')}/alice@acme.demo/state"
    cross_site = session.post(
        url,
        data={"action": "deactivate", "csrf_token": token},
        headers={"Origin": "http://evil.example"},
        timeout=30,
    )
    assert cross_site.status_code == 403, cross_site.text[:300]
    rebound = session.get(demo_org.page("apps"), headers={"Host": "evil.example"}, timeout=30)
    assert rebound.status_code == 403, rebound.text[:300]
    assert demo_org.control("GET", "/users/alice@acme.demo").json()["active"] is True
    same_site = session.post(
        url,
        data={"action": "deactivate", "csrf_token": token},
        headers={"Origin": demo_org.base_url},
        timeout=30,
    )
    assert same_site.status_code == 200, same_site.text[:300]
    assert demo_org.control("GET", "/users/alice@acme.demo").json()["active"] is False
