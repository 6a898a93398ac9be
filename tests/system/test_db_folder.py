"""``--db`` is a first-class mode: copies through SQLite's backup API, snapshots and the reset
point on disk, failed clones leave nothing, bad org files are reported by name and skipped."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from mock_salesforce import org_admin
from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.store import Registry
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
