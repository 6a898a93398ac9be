"""The rolling 24-hour API allocation on the org's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_salesforce import errors
from mock_salesforce.pipeline import limits
from mock_salesforce.store import OrgStore


def test_calls_leave_the_window_after_24_hours_and_return_when_time_goes_back(
    org: OrgStore,
) -> None:
    org.clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    limits.consume(org)
    org.clock.advance(timedelta(hours=1))
    limits.consume(org)
    assert limits.used(org) == 2
    org.clock.advance(timedelta(hours=23, seconds=30))
    assert limits.used(org) == 1, "the first call is more than 24 hours old"
    org.clock.advance(timedelta(hours=-24))
    assert limits.used(org) == 2, "moving the clock back brings both calls into the window"


def test_allocation_refuses_calls_once_used_up(org: OrgStore) -> None:
    org.set_setting("api_daily_limit", 2)
    limits.consume(org)
    limits.consume(org)
    with pytest.raises(errors.SalesforceError, match=r"TotalRequests Limit exceeded\."):
        limits.consume(org)
    assert limits.usage_header(org) == "api-usage=2/2"


def test_window_survives_a_snapshot_restore(org: OrgStore) -> None:
    org.save_snapshot("before")
    limits.consume(org)
    assert limits.used(org) == 1
    org.restore("before")
    assert limits.used(org) == 0


def test_pruning_keeps_the_live_window_and_the_newest_expired_calls(org: OrgStore) -> None:
    org.clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    for _ in range(5):
        limits.consume(org)
        org.clock.advance(timedelta(minutes=1))
    org.clock.advance(timedelta(days=2))
    limits.consume(org)
    limits.prune(org, keep=2)
    rows = org.query("SELECT COUNT(*) FROM _mock_api_call")[0][0]
    assert rows == 3, f"two expired calls and the live one should remain, found {rows}"
    assert limits.used(org) == 1


def _expired_calls(org: OrgStore, count: int) -> None:
    org.clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    for _ in range(count):
        limits.consume(org)
    org.clock.advance(timedelta(days=2))


def test_pruning_never_deletes_the_newest_row(org: OrgStore) -> None:
    # Other processes read new calls from the newest rowid they saw: were it deleted, the next
    # call would take its rowid again and they would never count it.
    _expired_calls(org, 3)
    limits.prune(org, keep=0)
    rowids = [row[0] for row in org.query("SELECT rowid FROM _mock_api_call")]
    assert rowids == [3], rowids
    limits.consume(org)
    assert [row[0] for row in org.query("SELECT rowid FROM _mock_api_call")] == [3, 4]
    assert limits.used(org) == 1


def test_pruning_reads_only_the_rows_below_its_bound(org: OrgStore) -> None:
    plan = org.query(f"EXPLAIN QUERY PLAN {limits._PRUNE}", (1, "x"))
    details = [row["detail"] for row in plan]
    assert any("INTEGER PRIMARY KEY (rowid<?)" in d for d in details), details


def test_pruning_leaves_other_processes_caches_alone_and_a_reset_does_not(org: OrgStore) -> None:
    _expired_calls(org, 5)
    limits.consume(org)
    generation = org.query("SELECT value FROM _mock_generation")[0][0]
    limits.prune(org, keep=1)
    assert org.query("SELECT COUNT(*) FROM _mock_api_call")[0][0] == 2
    assert org.query("SELECT value FROM _mock_generation")[0][0] == generation
    limits.reset(org)
    assert org.query("SELECT value FROM _mock_generation")[0][0] == generation + 1
