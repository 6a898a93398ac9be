"""The journal is complete: refused calls, the fault that fired, bodies on demand, a live tail."""

from __future__ import annotations

import json
import threading
import time

import requests

from mock_salesforce.pytest_plugin import OrgHandle

TOKEN_URL = "/services/oauth2/token"


def _org15(org: OrgHandle) -> str:
    return org.id[:15]


def test_a_call_with_an_invalid_token_of_the_org_is_journaled(sf_org: OrgHandle) -> None:
    answer = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/limits",
        headers={"Authorization": f"Bearer {_org15(sf_org)}!not-a-token"},
        timeout=10,
    )
    assert answer.status_code == 401, answer.text
    assert "Sforce-Limit-Info" not in answer.headers, dict(answer.headers)
    [entry] = sf_org.control.journal(status=401)
    assert entry["error_code"] == "INVALID_SESSION_ID", entry
    assert entry["operation"] == "org_limits" and entry["user_id"] is None, entry


def test_an_expired_session_is_journaled_as_refused(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.call("POST", "/users/user@test.org/sessions/expire")
    assert api.get("/limits").status_code == 401
    entries = sf_org.control.journal(error_code="INVALID_SESSION_ID")
    assert [e["path"] for e in entries] == ["/services/data/v59.0/limits"], entries


def test_oauth_errors_are_journaled_in_the_org_they_name(sf_org: OrgHandle) -> None:
    wrong_password = {
        "grant_type": "password",
        "client_id": sf_org.app["client_id"],
        "client_secret": sf_org.app["client_secret"],
        "username": "user@test.org",
        "password": "wrong",
    }
    unknown_client = {**wrong_password, "client_id": "3MVG9unknown"}
    refresh_of_the_org = {
        "grant_type": "refresh_token",
        "refresh_token": f"5Aep861{_org15(sf_org)}x",
    }
    for form in (wrong_password, unknown_client, refresh_of_the_org):
        answer = requests.post(f"{sf_org.base_url}{TOKEN_URL}", data=form, timeout=10)
        assert answer.status_code == 400, answer.text
    entries = sf_org.control.journal(api="oauth")
    codes = [(e["status"], e["error_code"]) for e in entries]
    expected = [(400, "invalid_grant"), (400, "invalid_client_id"), (400, "invalid_client_id")]
    assert codes == expected, entries


def test_the_journal_names_the_fault_rule_that_fired(sf_org: OrgHandle) -> None:
    named = sf_org.control.add_fault(
        id="lock-on-limits",
        match={"operation": "org_limits"},
        error={"errorCode": "UNABLE_TO_LOCK_ROW"},
    )
    api = sf_org.api("user@test.org")
    assert api.get("/limits").status_code == 400
    sf_org.control.clear_faults()
    generated = sf_org.control.add_fault(
        match={"operation": "org_limits"}, error={"errorCode": "REQUEST_LIMIT_EXCEEDED"}
    )
    assert api.get("/limits").status_code == 403
    fired = [e["fault_id"] for e in sf_org.control.journal() if e["fault_id"]]
    assert fired == [named["id"], generated["id"]], fired
    assert generated["id"].startswith("flt_"), generated


def test_bodies_are_off_by_default(sf_org: OrgHandle) -> None:
    sf_org.api("user@test.org").post("/sobjects/Contact", json={"LastName": "Doe"})
    [entry] = sf_org.control.journal(operation="create_record", bodies="true")
    assert entry["request_body"] is None and entry["response_body"] is None, entry


def test_kept_bodies_have_their_secrets_redacted(sf_org: OrgHandle) -> None:
    sf_org.control.settings(journal_bodies=True)
    created = sf_org.api("user@test.org").post("/sobjects/Contact", json={"LastName": "Doe"})
    form = {
        "grant_type": "password",
        "client_id": sf_org.app["client_id"],
        "client_secret": sf_org.app["client_secret"],
        "username": "user@test.org",
        "password": "user-pass-1USERTOK",
    }
    login = requests.post(f"{sf_org.base_url}{TOKEN_URL}", data=form, timeout=10)
    assert login.status_code == 200, login.text
    [create] = sf_org.control.journal(operation="create_record", bodies="true")
    assert json.loads(create["request_body"]) == {"LastName": "Doe"}, create
    assert json.loads(create["response_body"])["id"] == created.json()["id"], create
    [token] = sf_org.control.journal(api="oauth", bodies="true")
    assert "client_secret=%2A%2A%2A" in token["request_body"], token
    assert "password=%2A%2A%2A" in token["request_body"], token
    assert sf_org.app["client_secret"] not in token["request_body"], token
    answer = json.loads(token["response_body"])
    assert answer["access_token"] == "***" and answer["instance_url"], answer


def test_a_long_poll_returns_the_next_entry_when_it_is_written(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    api.get("/limits")
    last = sf_org.control.journal()[-1]["seq"]
    later = threading.Timer(0.3, lambda: api.get("/sobjects"))
    later.start()
    started = time.monotonic()
    entries = sf_org.control.journal(since_seq=last, wait=20)
    later.join()
    assert [e["operation"] for e in entries] == ["describe_global"], entries
    assert time.monotonic() - started < 20, "the long poll waited for its whole time"


def test_a_long_poll_with_nothing_new_answers_an_empty_list(sf_org: OrgHandle) -> None:
    assert sf_org.control.journal(since_seq=10**9, wait=0.2) == []


def test_a_long_poll_longer_than_a_minute_is_refused(sf_org: OrgHandle) -> None:
    answer = requests.get(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/journal", params={"wait": "600"}, timeout=10
    )
    assert answer.status_code == 400, answer.text
    assert "wait must be between 0 and 60" in answer.json()["error"], answer.text
