"""The journal's filters and the fault rules' matching and firing, without HTTP."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from mock_salesforce import errors, ids, org_admin
from mock_salesforce.errors import ControlError
from mock_salesforce.pipeline import faults, journal, journal_bodies
from mock_salesforce.store import OrgStore, Registry


def _record(
    org: OrgStore, user: str, operation: str, status: int = 200, record_ids: list[str] | None = None
) -> None:
    entry = journal.JournalEntry(
        method="GET",
        path=f"/x/{operation}",
        api="rest",
        user_id=f"005{user}",
        username=user,
        operation=operation,
        record_ids=record_ids or [],
        status=status,
        host="h:1",
    )
    journal.record(org, entry, 1.5)


def test_journal_filters_by_user_operation_status_and_record(org: OrgStore) -> None:
    created = ids.to18("003A00000000001")
    _record(org, "alice", "create_record", 201, [created])
    _record(org, "bob", "query", 200)
    _record(org, "alice", "update_record", 400)
    assert [e["operation"] for e in journal.query(org, {"user": "alice"})] == [
        "create_record",
        "update_record",
    ]
    assert [e["username"] for e in journal.query(org, {"status": "400"})] == ["alice"]
    by_record = journal.query(org, {"record_id": "003A00000000001"})
    assert [e["operation"] for e in by_record] == ["create_record"], by_record
    assert by_record[0]["record_ids"] == [created]
    assert [e["seq"] for e in journal.query(org, {"since_seq": "2"})] == [3]


def test_journal_refuses_unknown_filters(org: OrgStore) -> None:
    with pytest.raises(ControlError, match="unknown journal filter"):
        journal.query(org, {"colour": "red"})


CALL = {
    "user_id": "005X",
    "username": "alice@x",
    "operation": "create_record",
    "sobject": "Contact",
    "method": "POST",
    "api": "rest",
    "path": "/sobjects/Contact",
}


def test_fault_fires_from_nth_call_for_its_times(org: OrgStore) -> None:
    faults.add(
        org,
        faults.parse(
            {
                "match": {"sobject": "contact"},
                "nth": 2,
                "times": 2,
                "error": {"errorCode": "UNABLE_TO_LOCK_ROW"},
            }
        ),
    )
    outcomes = []
    for _ in range(5):
        try:
            faults.apply(org, CALL)
            outcomes.append("ok")
        except errors.SalesforceError as raised:
            outcomes.append(raised.error_code)
    assert outcomes == ["ok", "UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW", "ok", "ok"], outcomes
    [stored] = faults.all_faults(org)
    assert (stored.seen, stored.fired) == (5, 2), stored


def test_fault_does_not_fire_for_other_users_or_objects(org: OrgStore) -> None:
    faults.add(
        org,
        faults.parse(
            {
                "match": {"user": "bob@x", "sobject": "Lead"},
                "error": {"errorCode": "SERVER_UNAVAILABLE"},
            }
        ),
    )
    assert faults.apply(org, CALL) is None


def test_fault_can_answer_an_oauth_error(org: OrgStore) -> None:
    faults.add(
        org,
        faults.parse(
            {
                "error": {
                    "error": "invalid_grant",
                    "error_description": "expired access/refresh token",
                }
            }
        ),
    )
    with pytest.raises(errors.OAuthError, match="expired access/refresh token"):
        faults.apply(org, CALL)


def test_fault_keeps_a_chosen_status(org: OrgStore) -> None:
    faults.add(org, faults.parse({"error": {"errorCode": "UNKNOWN_EXCEPTION", "status": 502}}))
    with pytest.raises(errors.SalesforceError) as raised:
        faults.apply(org, CALL)
    assert raised.value.http_status == 502


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"match": {"colour": "red"}, "error": {"errorCode": "X"}}, "unknown fault match key"),
        ({"match": {}}, "needs an error"),
        ({"error": {"errorCode": "X"}, "probability": 2}, "probability"),
        ({"error": "UNABLE_TO_LOCK_ROW"}, "'error' must be an object"),
    ],
)
def test_bad_fault_specs_are_refused_with_a_reason(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ControlError, match=message):
        faults.parse(spec)


def test_sequence_numbers_go_on_after_the_journal_is_emptied(org: OrgStore) -> None:
    for user in ("alice", "bob", "carol"):
        _record(org, user, "query")
    journal.clear(org)
    assert journal.query(org, {}) == []
    _record(org, "dave", "query")
    journal.clear(org)
    journal.clear(org)  # twice in a row: still past the last entry ever written
    _record(org, "erin", "query")
    assert [(e["seq"], e["username"]) for e in journal.query(org, {})] == [(5, "erin")]
    assert journal.query(org, {"since_seq": "4"})[0]["username"] == "erin"


def _served_call(store: OrgStore, name: str) -> int:
    """A call's journal entry, written at its end as the pipeline writes it."""
    store.refresh()
    with store.end_call():
        return journal.record(store, journal.JournalEntry("GET", f"/{name}", "rest"), 1.0)


def test_an_entry_another_worker_writes_during_a_clear_keeps_its_seq_unique(
    tmp_path: Path,
) -> None:
    registry = Registry(tmp_path)  # a --db folder: other processes open its files too
    org = org_admin.create_org(registry, "Two workers")
    other_worker = OrgStore(org.org_id, org.pod, org.path)  # a second process's connection
    for name in ("one", "two", "three"):
        _served_call(org, name)
    written: list[int] = []
    meanwhile = threading.Thread(target=lambda: written.append(_served_call(other_worker, "other")))

    def execute(sql: str, params: Any = ()) -> Any:
        cursor = OrgStore.execute(org, sql, params)
        if sql.startswith("UPDATE _mock_journal_floor"):
            meanwhile.start()  # the other worker's call ends while the clear is under way
            meanwhile.join(0.3)
        return cursor

    org.execute = execute  # type: ignore[method-assign]
    try:
        journal.clear(org)
    finally:
        del org.execute
    meanwhile.join(15)
    after = _served_call(org, "after")
    entries = [(e["seq"], e["path"]) for e in journal.query(org, {})]
    other_worker.close()
    registry.close()
    assert written == [4], written
    assert entries == [(4, "/other"), (5, "/after")], f"a seq was handed out twice: {entries}"
    assert after == 5


def test_a_restore_renumbers_the_journal_to_go_on_and_keeps_it_visible(org: OrgStore) -> None:
    # Sequence numbers never go back (a tail misses no call after a restore), and keep without
    # gaps: the window and the trimming count on it, so a restore that only went on numbering
    # would hide (and, at a small limit, trim) the restored entries at the next call.
    org.set_setting("journal_limit", 10)
    for user in ("alice", "bob", "carol"):
        _record(org, user, "query")
    org.save_snapshot("three entries")
    for round_ in range(3):
        for n in range(12):
            _record(org, f"later{round_}-{n}", "query")
        assert org.restore("three entries")
    # 3 + 3 * 12 = 39 handed out: the snapshot's three entries now end at 39.
    restored = [(e["seq"], e["username"]) for e in journal.query(org, {})]
    assert restored == [(37, "alice"), (38, "bob"), (39, "carol")], restored
    _record(org, "dave", "query")
    assert [e["username"] for e in journal.query(org, {"since_seq": "39"})] == ["dave"]
    entries = [(e["seq"], e["username"]) for e in journal.query(org, {})]
    assert entries == [(37, "alice"), (38, "bob"), (39, "carol"), (40, "dave")], entries
    assert journal.stats(org) == {"entries": 4, "limit": 10, "dropped": 0}


def test_a_reset_to_an_empty_journal_goes_on_from_the_last_seq(org: OrgStore) -> None:
    org.save_snapshot("empty")
    for user in ("alice", "bob"):
        _record(org, user, "query")
    assert org.restore("empty")
    assert journal.query(org, {}) == []
    _record(org, "carol", "query")
    assert [(e["seq"], e["username"]) for e in journal.query(org, {"since_seq": "2"})] == [
        (3, "carol")
    ]


def test_kept_bodies_follow_their_renumbered_entries(org: OrgStore) -> None:
    org.set_setting("journal_bodies", True)
    _record(org, "alice", "query")
    journal_bodies.save(org, 1, b'{"sent": 1}', b'{"got": 1}', ("application/json",) * 2)
    org.save_snapshot("one")
    for user in ("bob", "carol"):
        _record(org, user, "query")
    assert org.restore("one")
    [entry] = journal.wait_for(org, {"bodies": "true"})
    assert (entry["seq"], entry["username"]) == (3, "alice"), entry
    assert '"sent"' in str(entry.get("request_body")), entry


def test_a_restore_inside_a_transaction_leaves_its_writer_lock_held(tmp_path: Path) -> None:
    registry = Registry(tmp_path)  # a --db folder: the org's writer lock is a real file lock
    org = org_admin.create_org(registry, "Locked")
    org.save_snapshot("s")
    with org.transaction():
        with pytest.raises(sqlite3.OperationalError):
            org.restore("s")  # SQLite refuses to copy into a database in use, as it always did
        assert org._writer.held, "the restore let go of the transaction's lock"
    registry.close()


def test_a_restore_refuses_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    registry = Registry(tmp_path)  # a --db folder: the org's writer lock is a real file lock
    org = org_admin.create_org(registry, "Busy")
    other_worker = OrgStore(org.org_id, org.pod, org.path)
    _served_call(org, "before")
    org.save_snapshot("s")
    _served_call(org, "after")
    org._writer.timeout = 0.2  # instead of 10 s
    assert other_worker._writer.acquire()  # another process's call, its write held open
    try:
        with pytest.raises(ControlError, match="busy") as refused:
            org.restore("s")
        assert refused.value.status == 409
    finally:
        other_worker._writer.release()
    assert [e["path"] for e in journal.query(org, {})] == ["/before", "/after"], "not restored"
    assert org.restore("s")  # once the lock is free
    other_worker.close()
    registry.close()


def test_a_snapshot_that_cannot_be_made_ready_leaves_the_org_as_it_was(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    org = org_admin.create_org(registry, "Kept")
    _served_call(org, "one")
    org.save_snapshot("broken")
    _served_call(org, "two")
    snapshot = tmp_path / "snapshots" / org.org_id / f"{b'broken'.hex()}.sqlite"
    with sqlite3.connect(snapshot) as conn:
        conn.execute("DROP TABLE _mock_journal_floor")  # renumbering it fails
    conn.close()
    generation = org.query("SELECT value FROM _mock_generation")[0][0]
    with pytest.raises(sqlite3.OperationalError, match="_mock_journal_floor"):
        org.restore("broken")
    assert [e["path"] for e in journal.query(org, {})] == ["/one", "/two"]
    assert org.query("SELECT value FROM _mock_generation")[0][0] == generation
    assert _served_call(org, "three") == 3, "no seq handed out again"
    registry.close()
