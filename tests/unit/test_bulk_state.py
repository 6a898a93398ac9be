"""The bulk job state machine called directly (no HTTP): queueing, the clock, holds, aborts,
failures and deletions, for Bulk 2.0 ingest and query jobs and Bulk 1.0 batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_salesforce import org_admin
from mock_salesforce.bulk import classic, ingest, query_jobs, state
from mock_salesforce.bulk.errors import ApiError, InvalidJobState
from mock_salesforce.bulk.jobs import Job, load_job, save_job
from mock_salesforce.errors import SalesforceError
from mock_salesforce.pipeline import faults, sessions
from mock_salesforce.records.context import Caller
from mock_salesforce.store import OrgStore


def caller_for(store: OrgStore, username: str) -> Caller:
    user_id = org_admin.find_user(store, username)["Id"]
    session = sessions.Session(store, user_id, None, "api", "test", sessions.security_for(store))
    return Caller(session)


def open_job(store: OrgStore, data: str = "Name\nA\nB\n") -> Job:
    job = ingest.create_job(
        caller_for(store, "rep@unit.test"), {"object": "Account", "operation": "insert"}
    )
    ingest.upload(job, data.encode())
    save_job(store, job)
    return job


def test_an_open_job_never_runs(org: OrgStore) -> None:
    job = open_job(org)
    assert state.advance(org, job).state == "Open"
    assert org.find_rows(org.schema.object("Account")) == []  # type: ignore[arg-type]


def test_queue_runs_at_once_with_default_settings(org: OrgStore) -> None:
    job = state.queue(org, open_job(org))
    assert job.state == "UploadComplete", job.state
    done = state.advance(org, job)
    assert (done.state, done.records_processed, done.records_failed) == ("JobComplete", 2, 0)
    with pytest.raises(InvalidJobState, match="Only an Open job"):
        state.queue(org, done)


def test_jobs_wait_for_processing_seconds_on_the_clock(org: OrgStore) -> None:
    org.clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    org.set_setting("bulk_processing_seconds", 30)
    job = state.advance(org, state.queue(org, open_job(org)))
    assert job.state == "InProgress" and not job.processed
    org.clock.advance(timedelta(seconds=29))
    assert state.advance(org, job).state == "InProgress"
    org.clock.advance(timedelta(seconds=1))
    assert state.advance(org, job).state == "JobComplete"


def test_hold_and_release(org: OrgStore) -> None:
    org.set_setting("bulk_hold", True)
    job = state.advance(org, state.queue(org, open_job(org)))
    assert (job.held, job.state) == (True, "InProgress")
    released = state.hold(org, job, False)
    assert released.state == "JobComplete", released.state


def test_abort_rules(org: OrgStore) -> None:
    job = state.abort(org, open_job(org))
    assert job.state == "Aborted" and [r.outcome for r in job.row_results()] == ["unprocessed"] * 2
    with pytest.raises(InvalidJobState, match="Aborting already Aborted Job not allowed"):
        state.abort(org, job)
    done = state.advance(org, state.queue(org, open_job(org)))
    with pytest.raises(InvalidJobState, match="Aborting already Completed Job not allowed"):
        state.abort(org, done)


def test_delete_rules(org: OrgStore) -> None:
    with pytest.raises(ApiError, match="not terminated"):
        state.check_deletable(open_job(org))
    state.check_deletable(state.advance(org, state.queue(org, open_job(org))))


def test_fail_leaves_rows_unprocessed_and_is_final(org: OrgStore) -> None:
    org.set_setting("bulk_hold", True)
    job = state.fail(org, state.queue(org, open_job(org)), "InvalidBatch : stop")
    assert (job.state, job.error_message) == ("Failed", "InvalidBatch : stop")
    assert ingest.results_csv(job, "unprocessed") == 'Name\n"A"\n"B"\n'
    with pytest.raises(InvalidJobState):
        state.fail(org, job, "again")


def test_a_bad_header_fails_the_job_not_a_row(org: OrgStore) -> None:
    job = state.advance(org, state.queue(org, open_job(org, "Name,Nope__c\nA,1\n")))
    assert job.state == "Failed" and job.records_processed == 0
    assert job.error_message == "InvalidBatch : Field name not found : Nope__c"


def test_query_job_runs_as_its_user(org: OrgStore) -> None:
    rep = caller_for(org, "rep@unit.test")
    job = query_jobs.create_job(rep, {"operation": "query", "query": "SELECT Name FROM Account"})
    save_job(org, job)
    assert job.state == "UploadComplete" and job.object == "Account"
    done = state.advance(org, job)
    assert done.state == "JobComplete" and done.query_columns == ["Name"]
    assert load_job(org, job.id) is not None


def test_classic_batches_run_even_before_the_job_closes(org: OrgStore) -> None:
    rep = caller_for(org, "rep@unit.test")
    job = classic.create_job(
        rep,
        {"operation": "insert", "object": "Account", "contentType": "JSON", "concurrencyMode": 0},
    )
    save_job(org, job)
    assert job.concurrency_mode == "Parallel"
    batch = classic.add_batch(org, job, b'[{"Name": "A"}, {"Phone": "1"}]')
    classic.advance_batches(org, job)
    stored = classic.job_batches(org, job.id)[0]
    assert (stored.id, stored.state, stored.records_failed) == (batch.id, "Completed", 1)
    closed = classic.change_state(org, job, "Closed")
    assert closed.state == "Closed"
    with pytest.raises(InvalidJobState):
        classic.change_state(org, closed, "Closed")


def test_row_fault_rules_and_call_rules_stay_apart(org: OrgStore) -> None:
    faults.add(
        org,
        faults.parse(
            {
                "match": {"sobject": "Account"},
                "error": {"errorCode": "UNABLE_TO_LOCK_ROW"},
                "times": None,
            }
        ),
    )
    faults.add(
        org,
        faults.parse(
            {
                "match": {"operation": "bulk_row", "row": "3"},
                "error": {"errorCode": "DUPLICATE_VALUE"},
                "times": None,
            }
        ),
    )
    row = {"operation": "bulk_row", "sobject": "Account", "row": "1"}
    assert faults.apply(org, row) is None
    with pytest.raises(SalesforceError) as third:
        faults.apply(org, {**row, "row": "3"})
    assert third.value.error_code == "DUPLICATE_VALUE"
    with pytest.raises(SalesforceError) as rest:
        faults.apply(org, {"operation": "create_record", "sobject": "Account", "row": None})
    assert rest.value.error_code == "UNABLE_TO_LOCK_ROW"
