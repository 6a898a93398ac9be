"""Bulk jobs driven by the control plane: the org's clock, holds, failures and row faults, so a
client's polling and error paths can be tested deterministically."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlPlaneError

INGEST = "/jobs/ingest"


def start_job(api: requests.Session, data: str, sobject: str = "Account") -> str:
    job = api.post(INGEST, json={"object": sobject, "operation": "insert"}).json()
    assert api.put(f"{INGEST}/{job['id']}/batches", data=data).status_code == 201
    done = api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    assert done.status_code == 200, done.text
    return str(job["id"])


def job_state(api: requests.Session, job_id: str) -> dict[str, Any]:
    info: dict[str, Any] = api.get(f"{INGEST}/{job_id}").json()
    return info


def test_jobs_wait_for_the_orgs_clock(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T09:00:00Z")
    sf_org.control.call("PATCH", "/bulk", {"processing_seconds": 60})
    api = sf_org.api("user@test.org")
    job_id = start_job(api, "Name\nA\n")
    assert job_state(api, job_id)["state"] == "InProgress"
    assert sf_org.control.records("Account") == []
    sf_org.control.advance_clock(seconds=59)
    assert job_state(api, job_id)["state"] == "InProgress"
    sf_org.control.advance_clock(seconds=1)
    info = job_state(api, job_id)
    assert (info["state"], info["numberRecordsProcessed"]) == ("JobComplete", 1), info
    record = sf_org.control.records("Account")[0]
    assert record["CreatedDate"] == "2024-05-01T09:01:00.000+0000", record


def test_due_jobs_run_on_any_bulk_call_not_only_their_own(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T09:00:00Z")
    sf_org.control.call("PATCH", "/bulk", {"processing_seconds": 10})
    api = sf_org.api("user@test.org")
    start_job(api, "Name\nA\n")
    sf_org.control.advance_clock(seconds=10)
    assert api.get(INGEST).status_code == 200
    assert len(sf_org.control.records("Account")) == 1


def test_a_held_job_stays_in_progress_until_released(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.call("PATCH", "/bulk", {"hold": True})
    job_id = start_job(api, "Name\nA\nB\n")
    for _ in range(3):
        assert job_state(api, job_id)["state"] == "InProgress"
    overview = sf_org.control.call("GET", "/bulk")
    assert overview["jobs"][0]["held"] is True and overview["settings"]["hold"] is True
    released = sf_org.control.call("POST", f"/bulk/jobs/{job_id}/release")
    assert released["state"] == "JobComplete", released
    assert job_state(api, job_id)["numberRecordsProcessed"] == 2


def test_a_failed_job_reports_its_message_and_runs_nothing(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.call("PATCH", "/bulk", {"hold": True})
    job_id = start_job(api, "Name\nA\n")
    sf_org.control.call(
        "POST", f"/bulk/jobs/{job_id}/fail", {"errorMessage": "InvalidBatch : boom"}
    )
    info = job_state(api, job_id)
    assert (info["state"], info["errorMessage"]) == ("Failed", "InvalidBatch : boom"), info
    assert api.get(f"{INGEST}/{job_id}/unprocessedrecords").text == 'Name\n"A"\n'
    assert sf_org.control.records("Account") == []
    with pytest.raises(ControlPlaneError, match="only an unfinished job"):
        sf_org.control.call("POST", f"/bulk/jobs/{job_id}/fail", {})


def test_row_faults_fail_chosen_rows_with_a_salesforce_error(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"operation": "bulk_row", "row": "2"},
        error={"errorCode": "UNABLE_TO_LOCK_ROW", "message": "unable to obtain exclusive access"},
        times=None,
    )
    api = sf_org.api("user@test.org")
    job_id = start_job(api, "Name\nA\nB\nC\n")
    info = job_state(api, job_id)
    assert (info["state"], info["numberRecordsFailed"]) == ("JobComplete", 1), info
    failed = api.get(f"{INGEST}/{job_id}/failedResults").text.splitlines()
    assert failed[1] == '"","UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--","B"', failed
    names = sorted(r["Name"] for r in sf_org.control.records("Account"))
    assert names == ["A", "C"], names


def test_rest_faults_do_not_fire_inside_bulk_rows(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"sobject": "Account"}, error={"errorCode": "UNABLE_TO_LOCK_ROW"}, times=None
    )
    api = sf_org.api("user@test.org")
    job_id = start_job(api, "Name\nA\nB\n")
    assert job_state(api, job_id)["numberRecordsFailed"] == 0
    rest = api.post("/sobjects/Account", json={"Name": "C"})
    assert rest.status_code == 400 and rest.json()[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"


def test_bulk_settings_are_checked(sf_org: OrgHandle) -> None:
    for bad in ({"hold": "yes"}, {"processing_seconds": -1}, {"speed": 1}):
        with pytest.raises(ControlPlaneError):
            sf_org.control.call("PATCH", "/bulk", bad)
    with pytest.raises(ControlPlaneError, match="no bulk job"):
        sf_org.control.call("POST", "/bulk/jobs/750000000000000AAA/hold")


def test_batches_count_toward_daily_bulk_api_batches(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    before = api.get("/limits").json()["DailyBulkApiBatches"]
    start_job(api, "Name\nA\nB\n")
    after = api.get("/limits").json()["DailyBulkApiBatches"]
    assert after == {"Max": before["Max"], "Remaining": before["Remaining"] - 1}, after
    sf_org.control.call("PATCH", "/bulk", {"daily_batches": 1})
    job = api.post(INGEST, json={"object": "Account", "operation": "insert"}).json()
    api.put(f"{INGEST}/{job['id']}/batches", data="Name\nC\n")
    refused = api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    assert refused.status_code == 400, refused.text
    assert refused.json()[0]["errorCode"] == "EXCEEDEDQUOTA", refused.text
    sf_org.control.advance_clock(hours=24, seconds=1)
    fresh = sf_org.api("admin@test.org")  # the old session timed out meanwhile
    assert fresh.get("/limits").json()["DailyBulkApiBatches"]["Remaining"] == 1
