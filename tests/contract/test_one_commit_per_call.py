"""A write call is committed once: its record, its API usage and its journal entry together
(docs/performance.md, "Where the time goes now"). A write that fails leaves nothing behind,
and the call is still counted and journaled."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from flask import Flask

from mock_salesforce.pytest_plugin import OrgHandle
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
