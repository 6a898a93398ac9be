"""``--db`` is a first-class mode: copies through SQLite's backup API, snapshots and the reset
point on disk, failed clones leave nothing, bad org files are reported by name and skipped."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from mock_salesforce import org_admin
from mock_salesforce.app import create_app
from mock_salesforce.pipeline import journal
from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.store import OrgStore, Registry
from mock_salesforce.store.files import FORMAT_VERSION


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """The app on ``folder`` (as ``serve --db folder``), over HTTP on loopback."""
    app = create_app({"DB_DIR": str(folder)})
    server = LiveServer(app).start()
    try:
        yield server.url
    finally:
        server.stop()
        app.extensions["mock_salesforce"].registry.close()


def contact_names(control: ControlClient, org_id: str) -> list[str]:
    return sorted(r["LastName"] for r in control.org(org_id).records("Contact", False))


def test_clone_snapshot_restore_and_reset_work_under_db(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.org(org_id).seed_records("Contact", [{"LastName": "Kept"}])
        clone = control.call("POST", f"/orgs/{org_id}/clone", {"name": "Copy"})
        assert contact_names(control, clone["id"]) == ["Kept"], "the clone lost a record"
        control.org(org_id).snapshot("one")
        control.org(org_id).seed_records("Contact", [{"LastName": "Later"}])
        control.org(org_id).restore("one")
        assert contact_names(control, org_id) == ["Kept"]
        reset = requests.post(f"{url}/_mock/orgs/{org_id}/reset", timeout=10)
        assert reset.status_code == 200, reset.text
        assert contact_names(control, org_id) == [], "reset must go back to right after seeding"


def test_snapshots_and_the_reset_point_survive_a_restart(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.org(org_id).seed_records("Contact", [{"LastName": "Snap"}])
        control.org(org_id).snapshot("with-snap")
        control.org(org_id).seed_records("Contact", [{"LastName": "After"}])
    with served(tmp_path) as url:
        control = ControlClient(url)
        listed = control.call("GET", f"/orgs/{org_id}/snapshots")
        assert "with-snap" in [s["name"] for s in listed], listed
        control.org(org_id).restore("with-snap")
        assert contact_names(control, org_id) == ["Snap"]
        control.call("POST", f"/orgs/{org_id}/reset")
        assert contact_names(control, org_id) == []


def test_a_failed_clone_leaves_no_file(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    source = org_admin.create_org(registry, "Source")
    org_admin.save_connected_app(source, {"name": "Broken", "callback_urls": ["http://x/cb"]})
    source.execute("UPDATE _mock_connected_app SET definition = 'not json'")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(ValueError):
        org_admin.clone_org(registry, source, "Doomed")
    after = sorted(p.name for p in tmp_path.rglob("*"))
    assert after == before, f"a failed clone left {set(after) - set(before)}"
    assert [s.org_id for s in registry.all()] == [source.org_id]
    registry.close()


def test_bad_org_files_are_reported_by_name_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = Registry(tmp_path)
    good = org_admin.create_org(registry, "Good")
    half = org_admin.create_org(registry, "Half")
    registry.close()
    half_path = tmp_path / f"{half.org_id}.sqlite"
    half_path.write_bytes(half_path.read_bytes()[: 4096 * 3])  # cut short mid-write
    garbage = tmp_path / "00D5000000000ZZAAA.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="mock_salesforce"), served(tmp_path) as url:
        answer = requests.get(f"{url}/_mock/orgs", timeout=10)
    assert answer.status_code == 200, answer.text
    assert [o["id"] for o in answer.json()] == [good.org_id], answer.json()
    logged = caplog.text
    assert half_path.name in logged and garbage.name in logged, logged


def test_an_org_file_of_another_format_version_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = Registry(tmp_path)
    old = org_admin.create_org(registry, "Old")
    registry.close()
    path = tmp_path / f"{old.org_id}.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 7}")
    conn.close()
    with caplog.at_level(logging.WARNING, logger="mock_salesforce"):
        reopened = Registry(tmp_path)
    message = reopened.problems.get(path.name, "")
    assert f"format version {FORMAT_VERSION + 7}" in message, reopened.problems
    assert f"reads format version {FORMAT_VERSION}" in message, message
    assert path.name in caplog.text, caplog.text
    assert reopened.find(old.org_id) is None
    reopened.close()


def _as_format_1(path: Path, journal_counter: int) -> None:
    """Rewrite an org file in format 1's layout (mock-salesforce before 2026-12-07): the journal
    with AUTOINCREMENT and its counter at ``journal_counter``, the API-usage rows' time index,
    and their trigger moving the generation for every row deleted."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("ALTER TABLE _mock_journal RENAME TO _journal_now")
    conn.execute(
        "CREATE TABLE _mock_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
        "user_id TEXT, username TEXT, client_id TEXT, method TEXT NOT NULL, path TEXT NOT NULL, "
        "api TEXT NOT NULL, operation TEXT, sobject TEXT, record_ids TEXT, soql TEXT, "
        "status INTEGER NOT NULL, error_code TEXT, fault_id TEXT, duration_ms REAL, host TEXT)"
    )
    conn.execute("INSERT INTO _mock_journal SELECT * FROM _journal_now")
    conn.execute("DROP TABLE _journal_now")
    conn.execute("DROP TABLE _mock_journal_floor")
    conn.execute(
        "UPDATE sqlite_sequence SET seq = ? WHERE name = '_mock_journal'", (journal_counter,)
    )
    conn.execute("CREATE INDEX ix_api_call_time ON _mock_api_call (time)")
    conn.execute('DROP TRIGGER "gen__mock_api_call_delete"')
    conn.execute(
        'CREATE TRIGGER "gen__mock_api_call_delete" AFTER DELETE ON "_mock_api_call" '
        "BEGIN UPDATE _mock_generation SET value = value + 1; END"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()


def _layout(path: Path) -> set[tuple[str, str]]:
    """The mock's own tables, indexes and triggers as SQLite stores them, and the version."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE name LIKE '%mock%' OR name LIKE 'ix_api%'"
    ).fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return {(name, sql or "") for name, sql in rows} | {("user_version", str(version))}


def test_an_org_file_of_format_1_is_upgraded_and_keeps_its_journal_and_usage(
    tmp_path: Path,
) -> None:
    with served(tmp_path) as url:
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        org = control.org(org_id)
        token = org.session_for("admin@test.org")["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for _ in range(3):
            made = requests.get(
                f"{url}/services/data/v59.0/sobjects/Contact/describe", headers=auth
            )
            assert made.status_code == 200, made.text
        before = [(e["seq"], e["path"]) for e in org.journal()]
        usage_before = made.headers["Sforce-Limit-Info"]
    fresh = Registry(tmp_path / "fresh")
    fresh_path = tmp_path / "fresh" / f"{org_admin.create_org(fresh, 'Fresh').org_id}.sqlite"
    fresh.close()
    path = tmp_path / f"{org_id}.sqlite"
    # Format 1 counted on past a journal emptied at seq 40: the next entry must be 41.
    _as_format_1(path, journal_counter=40)
    assert ("user_version", "1") in _layout(path)
    with served(tmp_path) as url:
        org = ControlClient(url).org(org_id)
        assert [(e["seq"], e["path"]) for e in org.journal()] == before, "entries lost"
        answer = requests.get(f"{url}/services/data/v59.0/sobjects/Contact/describe", headers=auth)
        assert answer.status_code == 200, answer.text
        counted = answer.headers["Sforce-Limit-Info"]
        assert counted == usage_before.replace("=3/", "=4/"), (usage_before, counted)
        assert [e["seq"] for e in org.journal()][-1] == 41, org.journal()
    assert _layout(path) == _layout(fresh_path), _layout(path) ^ _layout(fresh_path)


def test_a_snapshot_of_format_1_is_upgraded_when_restored(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.org(org_id).seed_records("Contact", [{"LastName": "Old"}])
        control.org(org_id).snapshot("old")
        _as_format_1(tmp_path / "snapshots" / org_id / f"{b'old'.hex()}.sqlite", 0)
        control.org(org_id).restore("old")
        assert contact_names(control, org_id) == ["Old"]
        org = control.org(org_id)
        token = org.session_for("admin@test.org")["access_token"]
        answer = requests.get(
            f"{url}/services/data/v59.0/sobjects/Contact/describe",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
        assert org.journal()[-1]["path"].endswith("/describe"), org.journal()
    assert ("user_version", str(FORMAT_VERSION)) in _layout(tmp_path / f"{org_id}.sqlite")


def test_restoring_a_format_1_snapshot_never_shows_format_1_to_other_workers(
    tmp_path: Path,
) -> None:
    registry = Registry(tmp_path)
    org = org_admin.create_org(registry, "Live")
    org.save_snapshot("old")
    _as_format_1(tmp_path / "snapshots" / org.org_id / f"{b'old'.hex()}.sqlite", 7)
    other_worker = OrgStore(org.org_id, org.pod, org.path)  # a second process's connection
    assert org.snapshots is not None
    copy = org.snapshots.restore
    versions: list[int] = []
    written: list[int] = []

    def call() -> None:
        other_worker.refresh()
        with other_worker.end_call():
            entry = journal.JournalEntry("GET", "/meanwhile", "rest")
            written.append(journal.record(other_worker, entry, 1.0))

    meanwhile = threading.Thread(target=call)

    def restore(name: str, target: sqlite3.Connection, prepare: Any) -> bool:
        done = copy(name, target, prepare)
        # Right after the copy, before the restoring process does anything else: what another
        # worker reads, and a call it serves (its write waits for the restore to end).
        versions.append(other_worker.query("PRAGMA user_version")[0][0])
        meanwhile.start()
        return done

    org.snapshots.restore = restore  # type: ignore[method-assign]
    try:
        assert org.restore("old")
    finally:
        del org.snapshots.restore
    meanwhile.join(15)
    other_worker.close()
    registry.close()
    assert versions == [FORMAT_VERSION], versions
    assert written == [8], written
