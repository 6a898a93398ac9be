"""The dashboard's Orgs and Org pages in a real browser, and what every page owes a keyboard or
screen-reader user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from selenium.webdriver.common.keys import Keys

from mock_salesforce.serving.server import LiveServer

from .conftest import DemoOrg
from .pages import (
    all_css,
    choose,
    click_through,
    css,
    fill,
    notice,
    page_problems,
    submit,
    wait_for,
)

PAGES = ("", "users", "permissions", "records", "journal", "faults", "snapshots", "apps")
SEED = """
orgs:
  - name: Globex Browser Test
    users:
      - {username: hank@globex.test, first_name: Hank, last_name: Scorpio, profile: Standard User}
    records:
      - {object: Account, fields: {Name: Globex}}
"""


def test_every_page_has_a_title_one_h1_labelled_controls_and_fits_a_laptop(
    browser: Any, demo_org: DemoOrg
) -> None:
    browser.get(f"{demo_org.base_url}/_mock/")
    problems = {"orgs": page_problems(browser)}
    for name in PAGES:
        browser.get(demo_org.page(name))
        problems[name or "org"] = page_problems(browser)
    assert not any(problems.values()), problems


def test_keyboard_skips_to_content_and_reaches_a_page_through_the_navigation(
    browser: Any, demo_org: DemoOrg
) -> None:
    browser.get(demo_org.page("users"))
    body = css(browser, "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to content"
    for _ in range(12):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.text == "Journal":
            break
    assert browser.switch_to.active_element.text == "Journal", "Tab never reached Journal"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: browser.title.startswith("Journal"), "the Journal page", lambda: browser.title)


def test_browser_gets_the_dashboard_at_mock_root(browser: Any, live_mock: LiveServer) -> None:
    browser.get(f"{live_mock.url}/_mock/")
    assert browser.current_url.endswith("/_mock/ui"), browser.current_url
    assert css(browser, "h1").text == "Orgs"
    assert browser.title == "Orgs · Mock Salesforce"


def test_orgs_page_creates_an_org_from_a_seed_file_then_clones_and_deletes_the_clone(
    browser: Any, live_mock: LiveServer, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    seed_file = tmp_path / "globex.yaml"
    seed_file.write_text(SEED)
    browser.get(f"{live_mock.url}/_mock/")
    css(browser, "input[name=source][value=file]").click()
    css(browser, "#seed-file").send_keys(str(seed_file))
    submit(browser, "#create-org button[type=submit]")
    assert notice(browser) == "Seeded Globex Browser Test", notice(browser)
    row = _org_row(browser, "Globex Browser Test")
    seeded_id = row.get_attribute("data-org")
    assert row.find_element("css selector", "td:nth-of-type(2)").text == "1"  # users
    screenshot("orgs")

    row.find_element("css selector", "input[name=name]").send_keys("Globex Clone")
    click_through(browser, row.find_element("css selector", "form button"))
    assert notice(browser) == "Cloned into Globex Clone", notice(browser)
    clone_id = browser.current_url.rsplit("/", 1)[-1]
    orgs = requests.get(f"{live_mock.url}/_mock/orgs", timeout=30).json()
    assert {"Globex Browser Test", "Globex Clone"} <= {o["name"] for o in orgs}

    css(browser, "form[data-confirm] button.danger").click()
    browser.switch_to.alert.accept()
    deleted = "Deleted Globex Clone"
    wait_for(lambda: notice(browser) == deleted, deleted, lambda: notice(browser))
    answer = requests.get(f"{live_mock.url}/_mock/orgs/{clone_id}", timeout=30)
    assert answer.status_code == 404, answer.text
    requests.delete(f"{live_mock.url}/_mock/orgs/{seeded_id}", timeout=30)


def _org_row(browser: Any, name: str) -> Any:
    rows = [r for r in all_css(browser, "#orgs tbody tr") if r.text.startswith(name)]
    assert rows, [r.text for r in all_css(browser, "#orgs tbody tr")]
    return rows[-1]


def test_org_page_sets_advances_and_freezes_the_clock_and_saves_a_setting(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    browser.get(demo_org.page())
    fill(browser, "#clock-at", "2024-05-01T09:00:00Z")
    submit(browser, "#clock-set button")
    assert "2024-05-01T09:00:00" in css(browser, "#clock-now").text
    fill(browser, "#advance-by", "25")
    choose(browser, "#advance-unit", "hours")
    submit(browser, "#clock-advance button")
    clock = demo_org.control("GET", "/clock").json()
    assert clock == {"now": "2024-05-02T10:00:00.000+0000", "frozen": True}, clock
    assert "2024-05-02T10:00:00" in css(browser, "#clock-now").text

    choose(browser, "#setting-key", "sharing:Contact")
    fill(browser, "#setting-value", "Private")
    submit(browser, "#setting-form button")
    assert notice(browser) == "Setting sharing:Contact saved", notice(browser)
    settings = demo_org.control("GET", "").json()["settings"]
    assert settings.get("sharing:Contact") == "Private", settings
    screenshot("org")


def test_reset_takes_the_org_back_to_its_seeded_state(browser: Any, demo_org: DemoOrg) -> None:
    lead = {"object": "Lead", "fields": {"LastName": "X", "Company": "Y"}}
    added = demo_org.control("POST", "/records", json=lead)
    assert added.status_code == 201, added.text
    browser.get(demo_org.page())
    submit(browser, "form[action$='/reset'] button")
    assert notice(browser) == "Reset to its initial state", notice(browser)
    leads = demo_org.control("GET", "/records/Lead").json()
    assert added.json()["ids"][0] not in [r["Id"] for r in leads], leads


def test_a_form_without_its_csrf_token_is_refused(browser: Any, demo_org: DemoOrg) -> None:
    browser.get(demo_org.page("snapshots"))
    browser.execute_script("document.querySelector('#take-snapshot [name=csrf_token]').value='x'")
    fill(browser, "#snap-name", "forged")
    submit(browser, "#take-snapshot button")
    assert css(browser, "h1").text == "Forbidden"
    assert "CSRF" in css(browser, "#error").text
    assert demo_org.control("GET", "/snapshots").json() == [
        {"name": "__initial__", "bytes": demo_org.control("GET", "/snapshots").json()[0]["bytes"]}
    ]
