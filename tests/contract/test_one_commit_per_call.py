"""A write call is committed once: its record, its API usage and its journal entry together
(docs/performance.md, "Where the time goes now"). A write that fails leaves nothing behind,
and the call is still counted and journaled."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from flask import Flask, Response

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import DEFAULT_ORG, OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.transport import in_process_session
from mock_salesforce.store import OrgStore

CONTACTS = "/services/data/v59.0/sobjects/Contact"


def _store(app: Flask, org: OrgHandle) -> OrgStore:
    store: OrgStore = app.extensions["mock_salesforce"].registry.get(org.id)
    return store


@contextmanager
def _statements(store: OrgStore) -> Iterator[list[str]]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        store.conn.set_trace_callback(None)


def _call(http: requests.Session, org: OrgHandle, body: dict[str, str]) -> requests.Response:
    return http.post(
        f"{org.base_url}{CONTACTS}",
        json=body,
        headers={"Authorization": f"Bearer {org.token('admin@test.org')}"},
    )


def test_a_create_commits_its_record_usage_and_journal_entry_in_one_transaction(
    sf_org: OrgHandle, sf_inprocess: requests.Session, mock_salesforce_app: Flask
) -> None:
    store = _store(mock_salesforce_app, sf_org)
    _call(sf_inprocess, sf_org, {"LastName": "Warm"})  # the session's first use is written
    with _statements(store) as seen:
        answer = _call(sf_inprocess, sf_org, {"LastName": "Once"})
    assert answer.status_code == 201, answer.text
    begins = [s for s in seen if s.startswith("BEGIN")]
    commits = [s for s in seen if s == "COMMIT"]
    assert len(begins) == 1 and len(commits) == 1, seen
    inside = seen[seen.index(begins[0]) : seen.index("COMMIT")]
    for table in ('"Contact"', "_mock_api_call", "_mock_journal"):
        assert any(s.startswith(f"INSERT INTO {table}") for s in inside), (table, seen)
    [entry] = sf_org.control.journal(record_id=answer.json()["id"])
    assert entry["status"] == 201 and entry["operation"] == "create_record", entry
    assert answer.headers["Sforce-Limit-Info"].startswith("api-usage="), dict(answer.headers)


def test_a_refused_create_leaves_no_record_and_is_still_counted_and_journaled(
    sf_org: OrgHandle, sf_inprocess: requests.Session, mock_salesforce_app: Flask
) -> None:
    store = _store(mock_salesforce_app, sf_org)
    contact = store.schema.object("Contact")
    assert contact is not None
    before = len(store.find_rows(contact, include_deleted=True))
    used_before = int(store.query("SELECT COUNT(*) FROM _mock_api_call")[0][0])
    answer = _call(sf_inprocess, sf_org, {"FirstName": "No last name"})
    assert answer.status_code == 400, answer.text
    assert answer.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING", answer.text
    after = len(store.find_rows(contact, include_deleted=True))
    assert after == before, f"{after - before} record(s) left behind by a refused create"
    used_after = int(store.query("SELECT COUNT(*) FROM _mock_api_call")[0][0])
    assert used_after == used_before + 1, (used_before, used_after)
    [entry] = sf_org.control.journal(error_code="REQUIRED_FIELD_MISSING")
    assert entry["status"] == 400 and entry["operation"] == "create_record", entry


def _while_answer_is_built(tmp_path: Path, body: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Create a contact on a fresh app whose org files another connection can read, and look,
    from a hook that runs after the view and before the pipeline's ``finish``, at whether the
    call still holds the org's write and at what another connection sees of its journal."""
    app = create_app({"DB_DIR": str(tmp_path)})
    seen: dict[str, Any] = {}

    @app.after_request  # Flask runs the last registered first: before the pipeline's finish
    def _look(response: Response) -> Response:
        store: OrgStore | None = seen.get("store")
        if store is not None and response.status_code == 201:
            seen["held"] = store.holds_call_write()
            with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as other:
                seen["journal"] = other.execute(
                    "SELECT status, operation FROM _mock_journal ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                seen["contacts"] = other.execute("SELECT COUNT(*) FROM Contact").fetchone()[0]
        return response

    http = in_process_session(app)
    control = ControlClient("http://mock.test", session=http)
    org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    token = control.org(org_id).session_for("admin@test.org")["access_token"]
    seen["store"] = app.extensions["mock_salesforce"].registry.get(org_id)
    try:
        answer = http.post(
            f"http://mock.test{CONTACTS}", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        return answer, seen
    finally:
        http.close()
        app.extensions["mock_salesforce"].registry.close()


def test_a_create_is_committed_and_its_write_lock_let_go_before_its_answer_is_built(
    tmp_path: Path,
) -> None:
    answer, seen = _while_answer_is_built(tmp_path, {"LastName": "Early"})
    assert answer.status_code == 201, answer.text
    assert seen["held"] is False, f"the org's write was still held while answering: {seen}"
    assert seen["journal"] == (201, "create_record"), seen
    assert seen["contacts"] == 1, seen
    assert answer.headers["Sforce-Limit-Info"].startswith("api-usage="), dict(answer.headers)


def test_calls_made_inside_one_app_context_are_each_journaled_and_counted(
    sf_org: OrgHandle, sf_inprocess: requests.Session, mock_salesforce_app: Flask
) -> None:
    """A test may push an app context around several calls; Flask then keeps one ``g`` for all
    of them, and nothing of one call (its org, that it was recorded, its error code) may
    reach the next."""
    token = sf_org.token("admin@test.org")
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{sf_org.base_url}/services/data/v59.0"
    with mock_salesforce_app.app_context():
        made = _call(sf_inprocess, sf_org, {"LastName": "First"})
        read = sf_inprocess.get(f"{base}/sobjects/Contact/{made.json()['id']}", headers=auth)
        refused = _call(sf_inprocess, sf_org, {"FirstName": "No last name"})
        query = sf_inprocess.get(
            f"{base}/query", params={"q": "SELECT Id FROM Contact"}, headers=auth
        )
    answers = [made, read, refused, query]
    assert [a.status_code for a in answers] == [201, 200, 400, 200], [a.text for a in answers]
    used = [int(a.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0]) for a in answers]
    assert used == list(range(used[0], used[0] + 4)), f"each call must count once: {used}"
    entries = sf_org.control.journal()[-4:]
    seen = [(e["status"], e["error_code"], e["operation"]) for e in entries]
    assert seen == [
        (201, None, "create_record"),
        (200, None, "retrieve_record"),
        (400, "REQUIRED_FIELD_MISSING", "create_record"),
        (200, None, "query"),
    ], seen
