"""Users and the live journal in a real browser: create a user, take a token as them, deactivate
them, and watch the refused call arrive in the journal without a reload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from .conftest import DemoOrg
from .pages import all_css, choose, css, fill, notice, submit, wait_for

NEW_USER = {"username": "dana@acme.demo", "first_name": "Dana", "last_name": "Diaz"}


def _user_row(browser: Any, username: str) -> Any:
    rows = all_css(browser, f"#users tr[data-username='{username}']")
    assert rows, f"no row for {username}: {[r.text for r in all_css(browser, '#users tbody tr')]}"
    return rows[0]


def _create_user(browser: Any, org: DemoOrg, password: str) -> None:
    browser.get(org.page("users"))
    for name, value in NEW_USER.items():
        fill(browser, f"#{name}", value)
    fill(browser, "#password", password)
    choose(browser, "#profile", "Standard User")
    submit(browser, "#create-user button[type=submit]")
    assert notice(browser) == "Created dana@acme.demo", notice(browser)


def test_create_a_user_take_a_token_deactivate_them_and_see_the_refusal_live(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    _create_user(browser, demo_org, "dana-pass-1")
    row = _user_row(browser, "dana@acme.demo")
    assert "Active" in row.find_element("css selector", ".state").text, row.text
    submit(browser, "#users tr[data-username='dana@acme.demo'] button[data-action=token]")
    token = css(browser, "#issued-token").get_attribute("value")
    assert token.startswith(demo_org.id[:15] + "!"), token
    answer = demo_org.api("GET", "/query", token, params={"q": "SELECT Id FROM Contact"})
    assert answer.status_code == 200, answer.text
    sessions = _user_row(browser, "dana@acme.demo").find_element("css selector", ".sessions")
    assert sessions.text == "1", sessions.text
    screenshot("users")

    submit(browser, "#users tr[data-username='dana@acme.demo'] button[data-action=deactivate]")
    assert notice(browser) == "dana@acme.demo deactivated", notice(browser)
    row = _user_row(browser, "dana@acme.demo")
    assert "Inactive" in row.text and row.find_element("css selector", ".sessions").text == "0"
    refused = demo_org.api("GET", "/query", token, params={"q": "SELECT Id FROM Contact"})
    assert refused.status_code == 401, refused.text
    assert refused.json()[0]["errorCode"] == "INVALID_SESSION_ID", refused.text

    browser.get(demo_org.page("journal"))
    browser.execute_script("window.stillTheSamePage = true")
    login = requests.post(
        f"{demo_org.base_url}/services/oauth2/token",
        data={
            "grant_type": "password",
            "client_id": demo_org.app["client_id"],
            "client_secret": demo_org.app["client_secret"],
            "username": "dana@acme.demo",
            "password": "dana-pass-1",
        },
        timeout=30,
    )
    assert login.status_code == 400 and login.json()["error"] == "invalid_grant", login.text
    newest = wait_for(
        lambda: _newest_row_with(browser, "invalid_grant"),
        "the refused login at the top of the live journal",
        lambda: [r.text for r in all_css(browser, "#journal-rows tr")[:3]],
    )
    assert "POST /services/oauth2/token" in newest.text and "400" in newest.text, newest.text
    assert browser.execute_script("return window.stillTheSamePage === true"), "the page reloaded"
    screenshot("journal")


def _newest_row_with(browser: Any, error_code: str) -> Any:
    rows = all_css(browser, "#journal-rows tr")
    if rows and rows[0].find_element("css selector", ".error-code").text == error_code:
        return rows[0]
    return None


def test_journal_filters_by_error_code_and_user_and_shows_a_calls_detail(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    carol = demo_org.token("carol@acme.demo")
    refused = demo_org.api("POST", "/sobjects/Contact", carol, json={"LastName": "Nope"})
    assert refused.status_code >= 400, refused.text
    error_code = refused.json()[0]["errorCode"]
    alice = demo_org.token("alice@acme.demo")
    assert demo_org.api("GET", "/query?q=SELECT+Id+FROM+Account", alice).status_code == 200

    browser.get(demo_org.page("journal"))
    fill(browser, "#f-error_code", error_code)
    submit(browser, "#journal-filters button[type=submit]")
    rows = all_css(browser, "#journal-rows tr")
    assert [r.find_element("css selector", ".error-code").text for r in rows] == [error_code]
    assert "carol@acme.demo" in rows[0].text, rows[0].text

    browser.get(demo_org.page("journal"))
    choose(browser, "#f-user", "alice@acme.demo")
    submit(browser, "#journal-filters button[type=submit]")
    rows = all_css(browser, "#journal-rows tr")
    assert rows and all("alice@acme.demo" in r.text for r in rows), [r.text for r in rows]
    rows[0].find_element("css selector", "a").click()
    wait_for(lambda: browser.title.startswith("Call #"), "the call's page", lambda: browser.title)
    assert css(browser, "#entry-soql").text == "SELECT Id FROM Account"
    assert css(browser, "#entry-status").text == "200"
    screenshot("journal-entry")


def test_log_in_as_opens_the_real_authorize_page_for_that_user(
    browser: Any, demo_org: DemoOrg
) -> None:
    browser.get(demo_org.page("users"))
    row = _user_row(browser, "alice@acme.demo")
    row.find_element("css selector", "a.button").click()
    wait_for(lambda: "Salesforce" in browser.title, "the login page", lambda: browser.title)
    assert css(browser, "#username").get_attribute("value") == "alice@acme.demo"
    fill(browser, "#password", "demo-alice-1")
    css(browser, "#Login").click()
    callback = "http://localhost:8080/oauth/callback"  # the demo app's first callback URL
    wait_for(
        lambda: "code=" in browser.current_url or "Allow" in browser.page_source,
        "a code on the callback (or the consent page)",
        lambda: browser.current_url,
    )
    if "code=" not in browser.current_url:
        css(browser, "#allow").click()
        wait_for(lambda: "code=" in browser.current_url, "the code", lambda: browser.current_url)
    assert browser.current_url.startswith(callback), browser.current_url
