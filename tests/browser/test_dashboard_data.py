"""Records and the SOQL console, permissions, faults, snapshots and connected apps in a real
browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import DemoOrg
from .pages import all_css, choose, css, fill, notice, submit, wait_for

FIELDS_STANDARD = "SELECT FIELDS(STANDARD) FROM Contact LIMIT 200"


def _restricted_user(org: DemoOrg) -> None:
    """A rep whose profile hides Contact.Email (field-level security), made through /_mock."""
    profile = {"name": "No Email Rep", "base": "Standard User", "fields": {"Contact.Email": "none"}}
    assert org.control("POST", "/profiles", json=profile).status_code == 201
    user = {"username": "erin@acme.demo", "last_name": "Evans", "profile": "No Email Rep"}
    assert org.control("POST", "/users", json=user).status_code == 201


def _run_soql(browser: Any, org: DemoOrg, user: str, soql: str) -> None:
    browser.get(org.page("records"))
    choose(browser, "#as-user", user)
    fill(browser, "#soql", soql)
    submit(browser, "#soql-form button[type=submit]")


def _result_columns(browser: Any) -> list[str]:
    return [str(th.text) for th in all_css(browser, "#soql-rows thead th")]


def test_soql_console_runs_as_a_restricted_user_and_the_hidden_field_is_missing(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    _restricted_user(demo_org)
    _run_soql(browser, demo_org, "admin@acme.demo", FIELDS_STANDARD)
    assert "Email" in _result_columns(browser), _result_columns(browser)
    admin_rows = len(all_css(browser, "#soql-rows tbody tr"))

    _run_soql(browser, demo_org, "erin@acme.demo", FIELDS_STANDARD)
    columns = _result_columns(browser)
    assert "Email" not in columns and "LastName" in columns, columns
    hidden = css(browser, "#soql-hidden").text
    assert hidden.endswith("hidden from erin@acme.demo by field-level security: Email"), hidden
    assert len(all_css(browser, "#soql-rows tbody tr")) == admin_rows
    screenshot("records")

    _run_soql(browser, demo_org, "erin@acme.demo", "SELECT Id, Email FROM Contact")
    shown = css(browser, "#soql-error").text
    erin = demo_org.token("erin@acme.demo")
    api = demo_org.api("GET", "/query", erin, params={"q": "SELECT Id, Email FROM Contact"})
    assert api.status_code == 400, api.text
    assert api.json()[0]["errorCode"] in shown and "INVALID_FIELD" in shown, shown


def test_records_show_audit_users_by_name_and_mark_deleted_rows(
    browser: Any, demo_org: DemoOrg
) -> None:
    alice = demo_org.token("alice@acme.demo")
    created = demo_org.api("POST", "/sobjects/Contact", alice, json={"LastName": "Gone"})
    assert created.status_code == 201, created.text
    record_id = created.json()["id"]
    assert demo_org.api("DELETE", f"/sobjects/Contact/{record_id}", alice).status_code == 204
    browser.get(demo_org.page("records", object="Contact"))
    rows = [r for r in all_css(browser, "#records tbody tr") if record_id in r.text]
    assert len(rows) == 1, [r.text for r in all_css(browser, "#records tbody tr")]
    assert "deleted" in (rows[0].get_attribute("class") or ""), rows[0].get_attribute("outerHTML")
    assert rows[0].text.count("Alice Archer (alice@acme.demo)") == 3, rows[0].text


def test_permissions_say_what_a_user_can_do_on_an_object(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    browser.get(demo_org.page("permissions"))
    choose(browser, "#verdict-user", "bob@acme.demo")
    choose(browser, "#verdict-object", "Contact")
    submit(browser, "#verdict-form button")
    access = [li.text for li in all_css(browser, "#verdict ul.access li")]
    assert "Read: yes" in access and "Modify All: no" in access, access
    css(browser, "#verdict details summary").click()
    title = css(browser, "#verdict-fields tr[data-field=Title]").text
    assert title == "Title yes no", title  # bob may read Contact.Title, not edit it
    headings = [th.get_attribute("data-holder") for th in all_css(browser, "#matrix thead th")]
    read_only = headings.index("Read Only")
    contact = next(r for r in all_css(browser, "#matrix tbody tr") if r.text.startswith("Contact"))
    assert contact.find_elements("css selector", "th, td")[read_only].text == "R"
    screenshot("permissions")


def test_a_fault_added_from_the_form_fires_and_its_counters_move_live(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    browser.get(demo_org.page("faults"))
    fill(browser, "#fault-id", "lock-contacts")
    fill(browser, "#m-operation", "create_record")
    fill(browser, "#m-sobject", "Contact")
    fill(browser, "#error-code", "UNABLE_TO_LOCK_ROW")
    submit(browser, "#add-fault button[type=submit]")
    assert notice(browser) == "Fault lock-contacts added", notice(browser)
    assert _counters(browser) == ("0", "0")

    alice = demo_org.token("alice@acme.demo")
    locked = demo_org.api("POST", "/sobjects/Contact", alice, json={"LastName": "Locked"})
    assert locked.status_code == 400 and locked.json()[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    assert demo_org.api("POST", "/sobjects/Contact", alice, json={"LastName": "Ok"}).ok
    wait_for(lambda: _counters(browser) == ("2", "1"), "seen 2 fired 1", lambda: _counters(browser))
    screenshot("faults")

    submit(browser, "#fault-rows tr[data-fault=lock-contacts] button")
    assert notice(browser) == "Fault lock-contacts removed"
    assert demo_org.control("GET", "/faults").json() == []


def _counters(browser: Any) -> tuple[str, str]:
    """(seen, fired) of the fault's row, read at once (the page replaces its rows as it polls)."""
    seen, fired = browser.execute_script(
        "const row = document.querySelector('#fault-rows tr[data-fault=lock-contacts]');"
        "return row ? [row.querySelector('.seen').textContent,"
        " row.querySelector('.fired').textContent] : ['', ''];"
    )
    return str(seen).strip(), str(fired).strip()


def test_a_snapshot_taken_from_the_page_restores_the_org(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    browser.get(demo_org.page("snapshots"))
    fill(browser, "#snap-name", "before-push")
    submit(browser, "#take-snapshot button")
    assert notice(browser) == "Snapshot before-push taken"
    alice = demo_org.token("alice@acme.demo")
    created = demo_org.api("POST", "/sobjects/Lead", alice, json={"LastName": "L", "Company": "C"})
    assert created.status_code == 201, created.text
    screenshot("snapshots")
    submit(browser, "#snapshots tr[data-snapshot=before-push] button")
    assert notice(browser) == "Restored before-push"
    leads = demo_org.control("GET", "/records/Lead").json()
    assert created.json()["id"] not in [r["Id"] for r in leads]


def test_connected_app_secret_is_hidden_until_asked(
    browser: Any, demo_org: DemoOrg, screenshot: Callable[[str], Path]
) -> None:
    browser.get(demo_org.page("apps"))
    secret = demo_org.app["client_secret"]
    assert secret not in browser.page_source
    assert demo_org.app["client_id"] in browser.page_source
    submit(browser, "section[data-app='Sales App'] form button")
    assert css(browser, "section[data-app='Sales App'] .secret").text == secret
    assert css(browser, "nav a[aria-current=page]").text == "Connected apps"
    screenshot("apps")
