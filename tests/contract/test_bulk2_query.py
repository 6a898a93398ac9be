"""Bulk API 2.0 query jobs over HTTP: paging with Sforce-Locator and maxRecords, CSV values,
the SOQL Bulk refuses, and the job lists (Bulk API 2.0 Developer Guide, "Query Jobs")."""

from __future__ import annotations

import csv
import io
from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle

QUERY = "/jobs/query"


def query_job(api: requests.Session, soql: str, operation: str = "query") -> dict[str, Any]:
    response = api.post(QUERY, json={"operation": operation, "query": soql})
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def seed_accounts(sf_org: OrgHandle, count: int) -> None:
    api = sf_org.api("user@test.org")
    for n in range(count):
        created = api.post("/sobjects/Account", json={"Name": f"Acct {n:02d}"})
        assert created.status_code == 201, created.text


def test_query_job_starts_upload_complete_and_completes(sf_org: OrgHandle) -> None:
    seed_accounts(sf_org, 2)
    api = sf_org.api("user@test.org")
    job = query_job(api, "SELECT Id, Name FROM Account ORDER BY Name")
    assert job["state"] == "UploadComplete" and job["object"] == "Account", job
    assert job["jobType"] == "V2Query" and job["operation"] == "query", job
    info = api.get(f"{QUERY}/{job['id']}").json()
    assert info["state"] == "JobComplete" and info["numberRecordsProcessed"] == 2, info


def test_results_are_paged_with_locator_and_max_records(sf_org: OrgHandle) -> None:
    seed_accounts(sf_org, 5)
    api = sf_org.api("user@test.org")
    job = query_job(api, "SELECT Name FROM Account ORDER BY Name")
    names: list[str] = []
    locator = ""
    pages = 0
    while True:
        params = {"maxRecords": 2, **({"locator": locator} if locator else {})}
        page = api.get(f"{QUERY}/{job['id']}/results", params=params)
        assert page.status_code == 200, page.text
        assert page.text.splitlines()[0] == '"Name"', page.text
        rows = list(csv.DictReader(io.StringIO(page.text)))
        assert page.headers["Sforce-NumberOfRecords"] == str(len(rows)), page.headers
        names += [r["Name"] for r in rows]
        pages += 1
        locator = page.headers["Sforce-Locator"]
        if locator == "null":
            break
    assert pages == 3 and names == [f"Acct {n:02d}" for n in range(5)], (pages, names)


def test_csv_values_dates_nulls_booleans_and_parents(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T09:30:00Z")
    api = sf_org.api("user@test.org")
    account = api.post("/sobjects/Account", json={"Name": "Parent"}).json()["id"]
    api.post("/sobjects/Contact", json={"LastName": "Kid", "AccountId": account})
    api.post("/sobjects/Contact", json={"LastName": "Orphan"})
    job = query_job(
        api,
        "SELECT LastName, Title, CreatedDate, Account.Name, HasOptedOutOfEmail FROM Contact "
        "ORDER BY LastName",
    )
    text = api.get(f"{QUERY}/{job['id']}/results").text
    lines = text.splitlines()
    assert lines[0] == '"LastName","Title","CreatedDate","Account.Name","HasOptedOutOfEmail"'
    assert lines[1] == '"Kid","","2024-05-01T09:30:00.000Z","Parent","false"', text
    assert lines[2] == '"Orphan","","2024-05-01T09:30:00.000Z","","false"', text


def test_query_all_includes_deleted_rows(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    doomed = api.post("/sobjects/Account", json={"Name": "Gone"}).json()["id"]
    api.delete(f"/sobjects/Account/{doomed}")
    live = query_job(api, "SELECT Id FROM Account")
    every = query_job(api, "SELECT Id, IsDeleted FROM Account", operation="queryAll")
    assert api.get(f"{QUERY}/{live['id']}/results").headers["Sforce-NumberOfRecords"] == "0"
    rows = list(csv.DictReader(io.StringIO(api.get(f"{QUERY}/{every['id']}/results").text)))
    assert rows == [{"Id": doomed, "IsDeleted": "true"}], rows


def test_unsupported_soql_is_refused_at_create(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    for soql in (
        "SELECT COUNT() FROM Account",
        "SELECT Name, COUNT(Id) FROM Account GROUP BY Name",
        "SELECT Name FROM Account LIMIT 5 OFFSET 2",
        "SELECT Name, (SELECT LastName FROM Contacts) FROM Account",
        "SELECT Nope__c FROM Account",
    ):
        response = api.post(QUERY, json={"operation": "query", "query": soql})
        assert response.status_code == 400, (soql, response.text)
        assert response.json()[0]["errorCode"] in ("MALFORMED_QUERY", "INVALID_FIELD"), soql


def test_results_need_the_jobs_version_and_a_finished_job(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.call("PATCH", "/bulk", {"hold": True})
    job = query_job(api, "SELECT Id FROM Account")
    early = api.get(f"{QUERY}/{job['id']}/results")
    assert early.status_code == 412, early.text
    assert early.json()[0]["errorCode"] == "JOB_NOT_COMPLETE", early.text
    assert early.json()[0]["message"].endswith("Current status: IN_PROGRESS"), early.text
    sf_org.control.call("POST", f"/bulk/jobs/{job['id']}/release")
    other = sf_org.api("user@test.org", version="60.0")
    wrong = other.get(f"{QUERY}/{job['id']}/results")
    assert wrong.status_code == 409, wrong.text
    assert api.get(f"{QUERY}/{job['id']}/results").status_code == 200


def test_query_jobs_abort_delete_and_list(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.call("PATCH", "/bulk", {"hold": True})
    held = query_job(api, "SELECT Id FROM Account")
    running = api.delete(f"{QUERY}/{held['id']}")
    assert running.status_code == 400, running.text
    assert running.json()[0] == {
        "errorCode": "API_ERROR",
        "message": "Error encountered when deleting the job because the job is not terminated",
    }
    aborted = api.patch(f"{QUERY}/{held['id']}", json={"state": "Aborted"})
    assert aborted.json()["state"] == "Aborted", aborted.text
    listed = api.get(QUERY).json()
    assert [j["id"] for j in listed["records"]] == [held["id"]], listed
    assert api.delete(f"{QUERY}/{held['id']}").status_code == 204
    assert api.get(QUERY).json()["records"] == []


def test_query_jobs_show_in_limits(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    before = api.get("/limits").json()["DailyBulkV2QueryJobs"]
    query_job(api, "SELECT Id FROM Account")
    after = api.get("/limits").json()["DailyBulkV2QueryJobs"]
    assert after == {"Max": before["Max"], "Remaining": before["Remaining"] - 1}, after
    sf_org.control.call("PATCH", "/bulk", {"daily_query_jobs": 1})
    refused = api.post(QUERY, json={"operation": "query", "query": "SELECT Id FROM Account"})
    assert refused.status_code == 400, refused.text
    assert refused.json()[0]["errorCode"] == "EXCEEDEDQUOTA", refused.text
