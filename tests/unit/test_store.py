"""The org store: transactions, ids, custom fields, snapshots, file persistence."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_salesforce import ids, org_admin
from mock_salesforce.store import OrgStore, Registry
from mock_salesforce.store.files import copy_closed_database
from mock_salesforce.store.writer_lock import WriterLock


def _contact(org: OrgStore) -> object:
    obj = org.schema.object("Contact")
    assert obj is not None
    return obj


def test_new_id_is_sequential_with_prefix_and_pod(org: OrgStore) -> None:
    first, second = org.new_id("003"), org.new_id("003")
    assert first[:3] == second[:3] == "003"
    assert first[3:6] == org.pod
    assert ids.is_valid(first) and ids.is_valid(second)
    assert int(second[6:15], 36) > int(first[6:15], 36), (first, second)


def test_transaction_rolls_back_everything_on_error(org: OrgStore) -> None:
    before = len(org.find_rows(org.schema.object("Account")))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="boom"), org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Gone"}, None)
        raise RuntimeError("boom")
    after = len(org.find_rows(org.schema.object("Account")))  # type: ignore[arg-type]
    assert after == before, f"rows before {before}, after {after}"


def test_nested_transaction_rolls_back_only_the_inner_part(org: OrgStore) -> None:
    account = org.schema.object("Account")
    assert account is not None
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Kept"}, None)
        with pytest.raises(ValueError, match="inner"), org.transaction():
            org_admin.seed_record(org, "Account", {"Name": "Dropped"}, None)
            raise ValueError("inner")
    names = [row["Name"] for row in org.find_rows(account)]
    assert names == ["Kept"], names


def test_custom_field_becomes_a_column_and_schema_field(org: OrgStore) -> None:
    org_admin.add_custom_field(
        org, {"object": "contact", "name": "App_Id__c", "external_id": True, "unique": True}
    )
    contact = org.schema.object("Contact")
    assert contact is not None
    field = contact.field("app_id__c")
    assert field is not None and field.external_id and field.custom, field
    record_id = org_admin.seed_record(org, "Contact", {"LastName": "X", "App_Id__c": "a-1"}, None)
    assert org.get_row(contact, record_id)["App_Id__c"] == "a-1"  # type: ignore[index]


def test_text_comparison_is_case_insensitive_like_soql(org: OrgStore) -> None:
    org_admin.seed_record(org, "Contact", {"LastName": "Smith", "Email": "Jo@Example.com"}, None)
    rows = org.query('SELECT LastName FROM "Contact" WHERE Email = ?', ("jo@example.COM",))
    assert [r["LastName"] for r in rows] == ["Smith"]


def test_snapshot_and_restore_bring_back_the_whole_state(org: OrgStore) -> None:
    account = org.schema.object("Account")
    assert account is not None
    org.save_snapshot("before")
    org_admin.seed_record(org, "Account", {"Name": "After snapshot"}, None)
    org.set_setting("api_daily_limit", 5)
    assert org.restore("before"), "the snapshot just taken must restore"
    assert [r["Name"] for r in org.find_rows(account)] == []
    assert org.setting("api_daily_limit") is None


def test_file_backed_org_survives_a_restart(tmp_path: Path) -> None:
    first = Registry(tmp_path)
    org = org_admin.create_org(first, "Durable")
    org_admin.create_user(org, {"username": "keep@durable.test"})
    record_id = org_admin.seed_record(org, "Account", {"Name": "Persisted"}, None)
    org_id = org.org_id
    first.close()

    second = Registry(tmp_path)
    reopened = second.get(org_id)
    account = reopened.schema.object("Account")
    assert account is not None
    assert reopened.get_row(account, record_id)["Name"] == "Persisted"  # type: ignore[index]
    assert org_admin.find_user(reopened, "keep@durable.test")["Username"] == "keep@durable.test"
    next_org = org_admin.create_org(second, "Second")
    assert next_org.org_id != org_id, "a restarted registry must not reuse org ids"
    second.close()


def test_registry_finds_an_org_by_15_or_18_char_id(registry: Registry) -> None:
    org = org_admin.create_org(registry, "Lookup")
    assert registry.get(org.org_id[:15]) is org
    assert registry.get(org.org_id) is org
    assert registry.find("00D000000000000") is None


def test_standard_profiles_of_each_org_carry_that_orgs_ids(registry: Registry) -> None:
    first, second = org_admin.create_org(registry, "One"), org_admin.create_org(registry, "Two")
    for org in (first, second):
        rows = org.query('SELECT Id, PermissionSetId FROM "Profile"')
        assert len(rows) == len(org_admin.STANDARD_PROFILES), rows
        for row in rows:
            assert row["Id"][3:6] == org.pod and ids.is_valid(row["Id"]), row["Id"]
            assert row["PermissionSetId"][3:6] == org.pod, row["PermissionSetId"]
        owned = org.query('SELECT Name, ProfileId FROM "PermissionSet" WHERE IsOwnedByProfile = 1')
        assert all(r["Name"] == "X00e" + r["ProfileId"][3:15] for r in owned), owned
        parents = {r["ParentId"][3:6] for r in org.query('SELECT ParentId FROM "FieldPermissions"')}
        assert parents == {org.pod}, parents
    first_ids = {r["Id"] for r in first.query('SELECT Id FROM "Profile"')}
    second_ids = {r["Id"] for r in second.query('SELECT Id FROM "Profile"')}
    assert not first_ids & second_ids, "two orgs must not share profile ids"


def test_standard_profiles_are_stamped_with_the_orgs_clock(registry: Registry) -> None:
    org = org_admin.create_org(registry, "Clocked")
    stamps = {r["CreatedDate"] for r in org.query('SELECT CreatedDate FROM "PermissionSet"')}
    assert len(stamps) == 1, stamps
    assert stamps.pop()[:10] == org.now_text()[:10]


def test_registry_listing_leaves_out_an_org_closed_while_it_was_listed(registry: Registry) -> None:
    kept = org_admin.create_org(registry, "Kept")
    going = org_admin.create_org(registry, "Going")
    going.close()  # another thread's delete closed it; the registry has not dropped it yet

    listed = [store.org_id for store in registry.all()]

    assert listed == [kept.org_id], f"listed {listed}, expected only {kept.org_id}"


@pytest.fixture
def shared_org(tmp_path: Path) -> Iterator[OrgStore]:
    """An org in a folder other processes may share (``serve``'s): a connection of another
    process may read its file while this one is open."""
    registry = Registry(tmp_path)
    yield org_admin.create_org(registry, "Shared")
    registry.close()


def test_an_org_in_a_private_folder_is_locked_once_for_as_long_as_it_is_open(
    org: OrgStore,
) -> None:
    """A private temporary folder (``Registry()``) is known to this process alone: its files
    are locked when opened, so no call takes a lock or a writer lock file."""
    import sqlite3

    assert org.path is not None
    other = sqlite3.connect(str(org.path), timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute('SELECT 1 FROM "Account"').fetchall()
    finally:
        other.close()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Mine"}, None)
    lock_files = [p.name for p in org.path.parent.iterdir() if p.name.endswith("-lock")]
    assert lock_files == [], f"writer lock files in a private folder: {lock_files}"


def test_a_private_registry_knows_only_the_orgs_it_added_and_has_not_removed(
    registry: Registry, org: OrgStore
) -> None:
    """A file in a private folder that the registry did not add (or is still deleting) is not
    an org: a listing or a lookup must not open it beside the open one (which would wait on
    its lock), nor bring a removed org back."""
    import shutil

    assert org.path is not None
    stray_id = ids.make_id("00D", "5ZZ", 1)
    shutil.copyfile(org.path, org.path.with_name(f"{stray_id}.sqlite"))
    listed = [store.org_id for store in registry.all()]
    assert listed == [org.org_id], f"listed {listed}"
    assert registry.find(stray_id) is None, "a file the registry did not add was opened"
    assert registry.problems == {}, registry.problems

    removed = org_admin.create_org(registry, "Removed")
    registry.remove(removed.org_id)
    assert registry.find(removed.org_id) is None, "a removed org came back"


def test_an_org_in_a_private_folder_keeps_its_wal_index_in_memory(org: OrgStore) -> None:
    assert org.path is not None
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Written"}, None)
    shm = org.path.with_name(org.path.name + "-shm")
    assert not shm.exists(), f"{shm.name} exists: the WAL index is in shared memory"


def _other_connection_sees(org: OrgStore, name: str) -> bool:
    """What another process would see: a connection of its own to the org's file."""
    import sqlite3

    other = sqlite3.connect(str(org.path))
    try:
        return bool(other.execute('SELECT 1 FROM "Account" WHERE Name = ?', (name,)).fetchall())
    finally:
        other.close()


def test_a_held_write_is_committed_with_what_the_call_records_at_its_end(
    shared_org: OrgStore,
) -> None:
    org = shared_org
    org.hold_commit()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Held"}, None)
    assert not _other_connection_sees(org, "Held"), "the write was committed before the call ended"
    with org.end_call():
        org_admin.seed_record(org, "Account", {"Name": "Recorded"}, None)
    assert _other_connection_sees(org, "Held") and _other_connection_sees(org, "Recorded")


def test_a_held_write_is_rolled_back_with_a_failed_end_of_call(shared_org: OrgStore) -> None:
    org = shared_org
    org.hold_commit()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Held"}, None)
    with pytest.raises(RuntimeError, match="journal"), org.end_call():
        raise RuntimeError("journal write failed")
    assert not _other_connection_sees(org, "Held")
    with org.transaction():  # the store is usable again, and commits at once
        org_admin.seed_record(org, "Account", {"Name": "Later"}, None)
    assert _other_connection_sees(org, "Later")


def test_a_held_write_is_committed_when_the_call_ends_without_recording(
    shared_org: OrgStore,
) -> None:
    org = shared_org
    org.hold_commit()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Held"}, None)
    org.release_call()
    assert _other_connection_sees(org, "Held")
    org.release_call()  # twice is harmless


def test_a_held_write_keeps_other_threads_out_until_the_call_ends(shared_org: OrgStore) -> None:
    org = shared_org
    org.hold_commit()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Held"}, None)
    done = threading.Event()

    def other_thread() -> None:
        with org.transaction():  # a call of another thread: not held, and not inside ours
            org_admin.seed_record(org, "Account", {"Name": "Other"}, None)
        done.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    assert not done.wait(0.2), "another thread wrote inside the held transaction"
    with org.end_call():
        pass
    worker.join(10)
    assert done.is_set() and _other_connection_sees(org, "Other")


def test_a_hold_asked_for_without_a_write_commits_the_end_of_call_on_its_own(
    shared_org: OrgStore,
) -> None:
    org = shared_org
    org.hold_commit()
    with org.end_call():
        org_admin.seed_record(org, "Account", {"Name": "Alone"}, None)
    assert _other_connection_sees(org, "Alone")
    with org.transaction():  # the hold was forgotten: this one commits at once
        org_admin.seed_record(org, "Account", {"Name": "Next"}, None)
    assert _other_connection_sees(org, "Next")


def test_writer_lock_is_held_by_one_holder_and_handed_on_when_released(tmp_path: Path) -> None:
    # Two locks on one org file stand for two worker processes (flock is per open file).
    first = WriterLock(tmp_path / "org.sqlite", timeout_seconds=5)
    second = WriterLock(tmp_path / "org.sqlite", timeout_seconds=5)
    first.acquire()
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: (second.acquire(), got.append(second.held)))
    waiter.start()
    waiter.join(timeout=0.3)
    assert waiter.is_alive() and got == [], f"the second holder did not wait: {got}"
    first.release()
    waiter.join(timeout=5)
    assert got == [True], f"the second holder never got the lock: {got}"
    second.close()
    first.close()


def test_writer_lock_gives_up_after_its_timeout_and_leaves_it_to_sqlite(tmp_path: Path) -> None:
    first = WriterLock(tmp_path / "org.sqlite", timeout_seconds=5)
    second = WriterLock(tmp_path / "org.sqlite", timeout_seconds=0.05)
    first.acquire()
    second.acquire()
    assert (first.held, second.held) == (True, False), (first.held, second.held)
    second.release()  # not held: a no-op, the first keeps it
    assert first.held
    first.close()
    second.close()


def test_org_file_being_built_makes_no_lock_file(tmp_path: Path) -> None:
    def prepare(draft: OrgStore) -> None:
        with draft.transaction():
            draft.set_setting("name", "built")

    registry = Registry(tmp_path)
    org_id = ids.make_id("00D", "500", 77)
    store = registry.add(org_id, "500", prepare=prepare)
    locks = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith("-lock"))
    assert locks == [f"{org_id}.sqlite-lock"], f"a lock file of the draft was left: {locks}"
    registry.remove(store.org_id)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("00D"))
    assert left == [], f"removing the org left {left}"


def test_a_held_write_keeps_the_writer_lock_until_the_call_ends(shared_org: OrgStore) -> None:
    org = shared_org
    assert org.path is not None
    org.hold_commit()
    with org.transaction():
        org_admin.seed_record(org, "Account", {"Name": "Held"}, None)
    other_process = WriterLock(org.path, timeout_seconds=0)
    try:
        other_process.acquire()
        assert not other_process.held, "another process could write inside the held transaction"
        with org.end_call():
            pass
        other_process.acquire()
        assert other_process.held, "the writer lock was not handed on when the call ended"
    finally:
        other_process.close()


def test_orgs_with_the_same_custom_fields_share_a_schema_and_a_new_field_stays_in_its_org(
    tmp_path: Path,
) -> None:
    registry = Registry(tmp_path)
    first = registry.add(ids.make_id("00D", "500", 81), "500")
    second = registry.add(ids.make_id("00D", "500", 82), "500")
    for store in (first, second):
        org_admin.add_custom_field(store, {"object": "Contact", "name": "Shared__c"})
    first._reload()
    second._reload()
    assert first.schema is second.schema, "the same custom fields make one Schema"
    org_admin.add_custom_field(first, {"object": "Contact", "name": "Own__c"})
    first._reload()
    second._reload()
    names = [
        [f.name for f in store.schema.object("Contact").fields if f.custom]  # type: ignore[union-attr]
        for store in (first, second)
    ]
    assert names == [["Shared__c", "Own__c"], ["Shared__c"]], names
    registry.close()


def test_a_private_registry_opens_the_orgs_its_folder_already_holds(tmp_path: Path) -> None:
    first = Registry(tmp_path)
    kept = org_admin.create_org(first, "Kept")
    first.close()
    private = Registry(tmp_path, private=True)
    try:
        listed = [store.org_id for store in private.all()]
        assert listed == [kept.org_id], f"listed {listed}"
        assert private.get(kept.org_id).setting("name") == "Kept"
    finally:
        private.close()


def test_a_closed_database_is_copied_as_a_file_and_one_with_a_log_through_sqlite(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source.sqlite"
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.execute("INSERT INTO t VALUES (1)")
    # Open, the writer keeps its commits in the log beside the file: a raw copy would miss them.
    assert Path(f"{source}-wal").exists()
    copy_closed_database(source, tmp_path / "with-log.sqlite")
    writer.close()
    assert not Path(f"{source}-wal").exists(), "the last connection folds the log in"
    copy_closed_database(source, tmp_path / "closed.sqlite")
    for name in ("with-log.sqlite", "closed.sqlite"):
        reader = sqlite3.connect(tmp_path / name)
        rows = reader.execute("SELECT n FROM t").fetchall()
        reader.close()
        assert rows == [(1,)], (name, rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "closed.sqlite",
        "source.sqlite",
        "with-log.sqlite",
    ], "no temporary file left behind"
