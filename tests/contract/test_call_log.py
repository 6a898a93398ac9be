"""The call log (``store/calllog.py``, ``pipeline/call_log.py``): a record read is recorded by a
line in the org's log, not a commit, and the journal and the API usage read as if each read had
been committed: in call order, numbered without a gap, counted against the daily limit by every
worker. Two apps on one folder stand for two worker processes (each its own connections and
log file handles); the threads case runs them at once."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient, OrgControl
from mock_salesforce.serving.transport import in_process_session

API = "http://mock.local/services/data/v59.0"
# What a journal entry says about the call itself (not when, how long, or its number).
_WHAT = ("method", "path", "api", "operation", "sobject", "record_ids", "status", "username")


class Worker:
    """One app on the shared folder: its in-process client and control client."""

    def __init__(self, folder: Path, **config: Any) -> None:
        self.app: Flask = create_app({"DB_DIR": str(folder), **config})
        self.http = in_process_session(self.app)
        self.control = ControlClient("http://mock.local", self.http)

    def org(self, org_id: str) -> OrgControl:
        return self.control.org(org_id)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "orgs"


def _org(worker: Worker, **settings: Any) -> tuple[str, dict[str, str]]:
    """An org whose clock stands still: a session's last use is then written once (when the
    second moves, a read writes it, and its transaction folds the log), not at random."""
    org_id = worker.control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    worker.org(org_id).set_clock("2026-12-07T09:00:00Z", frozen=True)
    if settings:
        worker.org(org_id).settings(**settings)
    token = worker.org(org_id).session_for("admin@test.org")["access_token"]
    return org_id, {"Authorization": f"Bearer {token}"}


def _contact(worker: Worker, auth: dict[str, str], name: str = "Logged") -> str:
    made = worker.http.post(f"{API}/sobjects/Contact", json={"LastName": name}, headers=auth)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _one_worker_with_a_contact(folder: Path) -> tuple[Worker, str, dict[str, str], str]:
    worker = Worker(folder)
    org_id, auth = _org(worker)
    return worker, org_id, auth, _contact(worker, auth)


def _read(worker: Worker, auth: dict[str, str], record: str) -> requests.Response:
    got = worker.http.get(f"{API}/sobjects/Contact/{record}", headers=auth)
    assert got.status_code == 200, got.text
    return got


def _committed(folder: Path, org_id: str) -> tuple[int, int]:
    """Journal entries and usage rows in the org's file, read without folding the log."""
    with sqlite3.connect(folder / f"{org_id}.sqlite") as conn:
        entries = conn.execute("SELECT COUNT(*) FROM _mock_journal").fetchone()[0]
        usage = conn.execute("SELECT COUNT(*) FROM _mock_api_call").fetchone()[0]
    return int(entries), int(usage)


def _usage(answer: requests.Response) -> int:
    return int(answer.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])


def _seqs_without_gaps(entries: list[dict[str, Any]]) -> None:
    seqs = [e["seq"] for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), f"a gap or a repeat: {seqs}"


def test_a_read_is_logged_without_a_commit_and_is_in_the_journal_when_read(
    folder: Path,
) -> None:
    worker, org_id, auth, record = _one_worker_with_a_contact(folder)
    before = _committed(folder, org_id)
    first = _read(worker, auth, record)
    second = _read(worker, auth, record)
    assert _committed(folder, org_id) == before, "a read committed its journal entry or usage"
    assert _usage(second) == _usage(first) + 1, (first.headers, second.headers)
    reads = worker.org(org_id).journal(operation="retrieve_record")
    assert [(e["record_ids"], e["status"]) for e in reads] == [([record], 200)] * 2, reads
    entries, usage = _committed(folder, org_id)
    assert (entries, usage) == (before[0] + 2, before[1] + 2), "reading the journal folds the log"


def test_the_journal_keeps_the_order_of_logged_and_committed_calls_as_without_the_log(
    folder: Path,
) -> None:
    """Reads (logged), a create, an update and a failed read (committed) in turn: the same
    entries, in the same order and numbered alike, with the log and without it."""
    journals = []
    for name, config in (("logged", {}), ("committed", {"CALL_LOG": False})):
        worker = Worker(folder / name, **config)
        org_id, auth = _org(worker)
        record = _contact(worker, auth)
        _read(worker, auth, record)
        second = _contact(worker, auth, "Second")
        _read(worker, auth, second)
        edited = worker.http.patch(
            f"{API}/sobjects/Contact/{record}", json={"Title": "T"}, headers=auth
        )
        assert edited.status_code == 204, edited.text
        _read(worker, auth, record)
        missing = worker.http.get(f"{API}/sobjects/Contact/003000000000000AAA", headers=auth)
        assert missing.status_code == 404, missing.text
        _read(worker, auth, second)
        entries = worker.org(org_id).journal()
        _seqs_without_gaps(entries)
        journals.append([{k: e[k] for k in _WHAT} for e in entries])
    logged, committed = journals
    # The ids are the orgs' own (each has its pod): compare the shape, then the operations.
    assert [e["operation"] for e in logged] == [
        "create_record",
        "retrieve_record",
        "create_record",
        "retrieve_record",
        "update_record",
        "retrieve_record",
        "retrieve_record",
        "retrieve_record",
    ], logged
    assert [{k: v for k, v in e.items() if k != "record_ids"} for e in logged] == [
        {k: v for k, v in e.items() if k != "record_ids"} for e in committed
    ]


def test_every_worker_counts_the_reads_another_worker_logged_against_the_daily_limit(
    folder: Path,
) -> None:
    one, other = Worker(folder), Worker(folder)
    org_id, auth = _org(one, api_daily_limit=10)
    record = _contact(one, auth)
    used = [_usage(_read(one, auth, record)) for _ in range(3)]
    seen = _usage(_read(other, auth, record))
    assert seen == used[-1] + 1, f"the other worker saw {seen} after {used}"
    while seen < 10:
        seen = _usage(_read(one if seen % 2 else other, auth, record))
    assert _committed(folder, org_id)[1] == 1, "the reads were committed one by one"
    for worker in (one, other):
        refused = worker.http.get(f"{API}/sobjects/Contact/{record}", headers=auth)
        assert refused.status_code == 403, refused.text
        assert refused.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED", refused.text


def test_a_log_that_grows_is_folded_and_replaced_without_losing_or_repeating_a_call(
    folder: Path,
) -> None:
    """A log replaced every few hundred bytes, read by two workers in turn: every read is in
    the journal once, in order, and counted once by both."""
    one = Worker(folder, CALL_LOG_BYTES=1_500)
    other = Worker(folder, CALL_LOG_BYTES=1_500)
    org_id, auth = _org(one, api_daily_limit=10_000)
    record = _contact(one, auth)
    start = _usage(_read(one, auth, record))
    log = folder / f"{org_id}.sqlite-calls"
    ids = set()
    for n in range(60):
        answer = _read(one if n % 3 else other, auth, record)
        assert _usage(answer) == start + n + 1, (n, answer.headers)
        ids.add(log.read_bytes().split(b"\n", 1)[0])  # the log's id line
    assert len(ids) > 3, f"the log was not replaced as it grew: {ids}"
    for worker in (one, other):
        entries = worker.org(org_id).journal(operation="retrieve_record")
        _seqs_without_gaps(entries)
        assert len(entries) == 61, f"{len(entries)} reads in the journal, 61 made"
    assert _usage(_read(other, auth, record)) == start + 61


def test_a_line_left_half_written_spoils_no_other_call(folder: Path) -> None:
    """A line a killed process left half written (its time written, its entry not) is no
    journal entry; it counts as the call it was, in the window and once folded alike."""
    worker, org_id, auth, record = _one_worker_with_a_contact(folder)
    first = _read(worker, auth, record)
    with open(folder / f"{org_id}.sqlite-calls", "ab") as log:  # a process killed mid-line
        log.write(b'\n1 2026-12-07T09:00:00.000+0000 ["005')
    second = _read(worker, auth, record)
    third = _read(worker, auth, record)
    assert _usage(second) == _usage(first) + 1, (first.headers, second.headers)
    assert _usage(third) == _usage(second) + 2, "the half-written call was not counted"
    reads = worker.org(org_id).journal(operation="retrieve_record")
    assert len(reads) == 3, reads
    _seqs_without_gaps(worker.org(org_id).journal())
    limits = worker.http.get(f"{API}/limits", headers=auth)  # the log is folded by now
    assert _usage(limits) == _usage(third) + 1, "the window and the folded rows disagree"


def test_a_reset_or_a_cleared_journal_takes_the_logged_reads_and_numbers_go_on(
    folder: Path,
) -> None:
    worker, org_id, auth, record = _one_worker_with_a_contact(folder)
    for _ in range(3):
        _read(worker, auth, record)
    worker.org(org_id).snapshot("three-reads")
    _read(worker, auth, record)
    handed_out = worker.org(org_id).journal()[-1]["seq"]
    worker.org(org_id).restore("three-reads")
    restored = worker.org(org_id).journal()
    assert [e["operation"] for e in restored].count("retrieve_record") == 3, restored
    assert restored[-1]["seq"] == handed_out, "the restored journal does not end where it was"
    _read(worker, auth, record)
    after = worker.org(org_id).journal()
    assert after[-1]["seq"] == handed_out + 1 and len(after) == len(restored) + 1, after[-3:]

    worker.control.call("DELETE", f"/orgs/{org_id}/journal")
    assert worker.org(org_id).journal() == []
    _read(worker, auth, record)
    last = worker.org(org_id).journal()
    assert [e["seq"] for e in last] == [handed_out + 2], last
    worker.control.call("POST", f"/orgs/{org_id}/reset")
    assert worker.org(org_id).journal() == []


@pytest.fixture
def two(folder: Path) -> Iterator[tuple[Worker, Worker]]:
    yield Worker(folder, CALL_LOG_BYTES=4_000), Worker(folder, CALL_LOG_BYTES=4_000)


def test_reads_and_writes_through_two_workers_at_once_lose_and_repeat_nothing(
    two: tuple[Worker, Worker],
) -> None:
    one, other = two
    org_id, auth = _org(one, api_daily_limit=100_000, journal_limit=100_000)
    start = len(one.org(org_id).journal())
    record = _contact(one, auth)

    def client(worker: Worker, who: int) -> int:
        calls = 0
        for n in range(40):
            made = worker.http.post(
                f"{API}/sobjects/Contact", json={"LastName": f"{who}-{n}"}, headers=auth
            )
            assert made.status_code == 201, made.text
            for each in (record, made.json()["id"], record):
                got = worker.http.get(f"{API}/sobjects/Contact/{each}", headers=auth)
                assert got.status_code == 200, got.text
            calls += 4
        return calls

    with ThreadPoolExecutor(4) as pool:
        made = sum(pool.map(client, [one, other, one, other], range(4)))
    entries = other.org(org_id).journal()
    _seqs_without_gaps(entries)
    operations = Counter(e["operation"] for e in entries[start:])
    assert len(entries) - start == made + 1, f"{operations}, {made + 1} calls"
    assert sum(e["operation"] == "retrieve_record" for e in entries) == 3 * 160
    for asked, worker in enumerate((one, other)):
        limits = worker.http.get(f"{API}/limits", headers=auth)
        assert limits.status_code == 200, limits.text
        # The create, the calls, the journal's read (none: control plane), this call.
        expected = 1 + made + asked + 1
        assert _usage(limits) == expected, f"{_usage(limits)} counted, {expected} made"


def test_a_query_and_a_describe_are_logged_too_and_keep_their_place(folder: Path) -> None:
    """Reads Flask answers (a query, a describe) are logged like the lane's; a failed query
    (400) too; a create between them is committed, and the journal keeps the order."""
    worker, org_id, auth, record = _one_worker_with_a_contact(folder)
    before = _committed(folder, org_id)
    soql = f"SELECT Id FROM Contact WHERE Id = '{record}'"
    found = worker.http.get(f"{API}/query", params={"q": soql}, headers=auth)
    assert found.status_code == 200 and found.json()["totalSize"] == 1, found.text
    described = worker.http.get(f"{API}/sobjects/Contact/describe", headers=auth)
    assert described.status_code == 200, described.text
    bad = worker.http.get(f"{API}/query", params={"q": "SELECT Nope FROM Contact"}, headers=auth)
    assert bad.status_code == 400, bad.text
    assert _committed(folder, org_id) == before, "a read committed its journal entry or usage"
    _contact(worker, auth, "After")
    operations = [e["operation"] for e in worker.org(org_id).journal()]
    expected = ["create_record", "query", "describe_sobject", "query", "create_record"]
    assert operations == expected, operations
    _seqs_without_gaps(worker.org(org_id).journal())


def test_reading_a_folded_journal_is_a_read_that_another_writer_does_not_hold_up(
    folder: Path,
) -> None:
    """Once the log is folded, reading the journal writes nothing: it is answered while
    another connection holds the org's write lock (it used to be; a fold would wait)."""
    worker, org_id, auth, record = _one_worker_with_a_contact(folder)
    _read(worker, auth, record)
    assert len(worker.org(org_id).journal(operation="retrieve_record")) == 1  # folds
    writer = sqlite3.connect(folder / f"{org_id}.sqlite", isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")
    try:
        for path in ("/journal", "/journal/stats"):
            answer = worker.http.get(f"http://mock.local/_mock/orgs/{org_id}{path}")
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
