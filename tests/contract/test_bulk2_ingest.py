"""Bulk API 2.0 ingest jobs over HTTP: create, upload, UploadComplete, results, the state
machine and its errors (Bulk API 2.0 Developer Guide)."""

from __future__ import annotations

import csv
import io
from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle

INGEST = "/jobs/ingest"


def create_job(api: requests.Session, **spec: Any) -> dict[str, Any]:
    response = api.post(INGEST, json=spec)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def run_job(api: requests.Session, data: str, **spec: Any) -> dict[str, Any]:
    """Create, upload ``data``, mark UploadComplete; the job's info once it ran."""
    job = create_job(api, **spec)
    put = api.put(f"{INGEST}/{job['id']}/batches", data=data, headers={"Content-Type": "text/csv"})
    assert put.status_code == 201 and put.content == b"", (put.status_code, put.text)
    done = api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    assert done.status_code == 200 and done.json()["state"] == "UploadComplete", done.text
    info: dict[str, Any] = api.get(f"{INGEST}/{job['id']}").json()
    return info


def result_rows(api: requests.Session, job_id: str, kind: str) -> list[dict[str, str]]:
    response = api.get(f"{INGEST}/{job_id}/{kind}")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv"), response.headers
    return list(csv.DictReader(io.StringIO(response.text)))


def test_create_answers_an_open_job_with_its_whole_info(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    job = create_job(api, object="Account", operation="insert")
    assert job["id"].startswith("750") and len(job["id"]) == 18, job
    assert job["state"] == "Open" and job["object"] == "Account", job
    assert job["createdById"] == sf_org.users["user@test.org"], job
    assert job["apiVersion"] == 59.0 and job["jobType"] == "V2Ingest", job
    assert job["contentUrl"] == f"services/data/v59.0/jobs/ingest/{job['id']}/batches", job
    assert job["createdDate"].endswith("+0000") and job["systemModstamp"], job
    assert job["numberRecordsFailed"] == 0 and job["columnDelimiter"] == "COMMA", job


def test_insert_runs_each_row_as_the_jobs_user_and_keeps_row_errors(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    data = "LastName,Email,Title\nDoe,doe@example.com,CTO\n,nolast@example.com,CEO\n"
    info = run_job(api, data, object="Contact", operation="insert")
    assert info["state"] == "JobComplete", info
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (2, 1), info
    ok = result_rows(api, info["id"], "successfulResults")
    assert [(r["sf__Created"], r["LastName"], r["Title"]) for r in ok] == [("true", "Doe", "CTO")]
    contact = api.get(f"/sobjects/Contact/{ok[0]['sf__Id']}").json()
    assert contact["OwnerId"] == sf_org.users["user@test.org"], contact
    assert contact["CreatedById"] == sf_org.users["user@test.org"], contact
    failed = result_rows(api, info["id"], "failedResults")
    assert failed == [
        {
            "sf__Id": "",
            "sf__Error": (
                "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"
            ),
            "LastName": "",
            "Email": "nolast@example.com",
            "Title": "CEO",
        }
    ], failed


def test_result_files_quote_values_and_repeat_the_header(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    info = run_job(api, "Name,Phone\nAcme,555\n", object="Account", operation="insert")
    text = api.get(f"{INGEST}/{info['id']}/successfulResults").text
    lines = text.splitlines()
    assert lines[0] == '"sf__Id","sf__Created",Name,Phone', text
    assert lines[1].endswith(',"true","Acme","555"') and lines[1].startswith('"001'), text
    failed = api.get(f"{INGEST}/{info['id']}/failedResults").text
    assert failed == '"sf__Id","sf__Error",Name,Phone\n', failed
    unprocessed = api.get(f"{INGEST}/{info['id']}/unprocessedRecords").text
    assert unprocessed == "Name,Phone\n", unprocessed


def test_update_blank_keeps_a_value_and_na_clears_it(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = api.post(
        "/sobjects/Contact", json={"LastName": "Doe", "Title": "CTO", "Phone": "1"}
    ).json()
    data = f"Id,Title,Phone\n{created['id']},,#N/A\n"
    info = run_job(api, data, object="Contact", operation="update")
    assert (info["state"], info["numberRecordsFailed"]) == ("JobComplete", 0), info
    contact = api.get(f"/sobjects/Contact/{created['id']}").json()
    assert (contact["Title"], contact["Phone"]) == ("CTO", None), contact
    ok = result_rows(api, info["id"], "successfulResults")
    assert ok[0]["sf__Created"] == "false" and ok[0]["sf__Id"] == created["id"], ok


def test_upsert_by_external_id_inserts_then_updates(sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Account", "Legacy_Id__c", type="string", external_id=True)
    api = sf_org.api("user@test.org")
    spec = {"object": "Account", "operation": "upsert", "externalIdFieldName": "Legacy_Id__c"}
    first = run_job(api, "Legacy_Id__c,Name\nL-1,One\n", **spec)
    assert first["externalIdFieldName"] == "Legacy_Id__c", first
    second = run_job(api, "Legacy_Id__c,Name\nL-1,Renamed\nL-2,Two\n", **spec)
    created = [r["sf__Created"] for r in result_rows(api, second["id"], "successfulResults")]
    assert created == ["false", "true"], created
    names = sorted(r["Name"] for r in sf_org.control.records("Account", include_deleted=False))
    assert names == ["Renamed", "Two"], names


def test_delete_and_hard_delete(sf_org: OrgHandle) -> None:
    sf_org.control.create_permission_set(
        "Hard_Delete", user_permissions=["BulkApiHardDelete"], assign_to=["admin@test.org"]
    )
    api = sf_org.api("admin@test.org")
    ids = [api.post("/sobjects/Account", json={"Name": n}).json()["id"] for n in "AB"]
    soft = run_job(api, f"Id\n{ids[0]}\n", object="Account", operation="delete")
    assert (soft["state"], soft["numberRecordsFailed"]) == ("JobComplete", 0), soft
    hard = run_job(api, f"Id\n{ids[1]}\n", object="Account", operation="hardDelete")
    assert (hard["state"], hard["numberRecordsFailed"]) == ("JobComplete", 0), hard
    left = {r["Id"]: r["IsDeleted"] for r in sf_org.control.records("Account")}
    assert left == {ids[0]: True}, left


def test_hard_delete_needs_its_permission(sf_org: OrgHandle) -> None:
    """Off by default, even for System Administrators (Salesforce Help, "Bulk API Hard
    Delete")."""
    api = sf_org.api("admin@test.org")
    response = api.post(INGEST, json={"object": "Account", "operation": "hardDelete"})
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "INVALIDJOB", response.text


def test_rows_obey_the_users_field_permissions(sf_org: OrgHandle) -> None:
    """A column the user cannot see fails the job; one they cannot edit fails each row."""
    sf_org.control.add_field("Account", "Secret__c", type="string", access="none")
    sf_org.control.add_field("Account", "Shown__c", type="string", access="read")
    api = sf_org.api("user@test.org")
    readonly = run_job(api, "Name,Shown__c\nA,x\n", object="Account", operation="insert")
    assert (readonly["state"], readonly["numberRecordsFailed"]) == ("JobComplete", 1), readonly
    error = result_rows(api, readonly["id"], "failedResults")[0]["sf__Error"]
    assert error.startswith(
        "INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: Shown__c."
    ), error
    info = run_job(api, "Name,Secret__c\nA,x\n", object="Account", operation="insert")
    assert info["state"] == "Failed", info
    assert info["errorMessage"] == "InvalidBatch : Field name not found : Secret__c", info
    assert info["numberRecordsProcessed"] == 0, info
    unprocessed = result_rows(api, info["id"], "unprocessedrecords")
    assert unprocessed == [{"Name": "A", "Secret__c": "x"}], unprocessed


def test_bad_values_fail_their_row_only(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    data = "Name,NumberOfEmployees\nGood,12\nBad,twelve\n"
    info = run_job(api, data, object="Account", operation="insert")
    assert (info["state"], info["numberRecordsFailed"]) == ("JobComplete", 1), info
    error = result_rows(api, info["id"], "failedResults")[0]["sf__Error"]
    assert error.startswith("INVALID_FIELD:Failed to deserialize field at col 1."), error
    assert error.endswith(":NumberOfEmployees --"), error


def test_upload_in_several_puts_with_other_delimiters(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    job = create_job(
        api, object="Account", operation="insert", columnDelimiter="SEMICOLON", lineEnding="CRLF"
    )
    for chunk in ("Name;Phone\r\nA;1\r\n", "Name;Phone\r\nB;2\r\n"):
        put = api.put(f"{INGEST}/{job['id']}/batches", data=chunk)
        assert put.status_code == 201, put.text
    api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    text = api.get(f"{INGEST}/{job['id']}/successfulResults").text
    assert text.startswith('"sf__Id";"sf__Created";Name;Phone\r\n'), text
    assert text.count("\r\n") == 3, text
    mismatch = create_job(api, object="Account", operation="insert")
    api.put(f"{INGEST}/{mismatch['id']}/batches", data="Name\nA\n")
    other = api.put(f"{INGEST}/{mismatch['id']}/batches", data="Phone\n1\n")
    assert other.status_code == 400, other.text


def test_state_machine_errors_are_salesforce_shaped(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    info = run_job(api, "Name\nA\n", object="Account", operation="insert")
    abort = api.patch(f"{INGEST}/{info['id']}", json={"state": "Aborted"})
    assert abort.status_code == 400, abort.text
    assert abort.json() == [
        {"errorCode": "INVALIDJOBSTATE", "message": "Aborting already Completed Job not allowed"}
    ]
    put = api.put(f"{INGEST}/{info['id']}/batches", data="Name\nB\n")
    assert (put.status_code, put.json()[0]["errorCode"]) == (400, "INVALIDJOBSTATE"), put.text
    open_job = create_job(api, object="Account", operation="insert")
    refused = api.delete(f"{INGEST}/{open_job['id']}")
    assert (refused.status_code, refused.json()[0]["errorCode"]) == (400, "API_ERROR")
    deleted = api.delete(f"{INGEST}/{info['id']}")
    assert deleted.status_code == 204 and deleted.content == b"", deleted.text
    gone = api.get(f"{INGEST}/{info['id']}")
    assert gone.status_code == 404, gone.text
    assert gone.json() == [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]


def test_abort_leaves_uploaded_rows_unprocessed(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    job = create_job(api, object="Account", operation="insert")
    api.put(f"{INGEST}/{job['id']}/batches", data="Name\nA\nB\n")
    aborted = api.patch(f"{INGEST}/{job['id']}", json={"state": "Aborted"})
    assert aborted.json()["state"] == "Aborted", aborted.text
    assert len(result_rows(api, job["id"], "unprocessedrecords")) == 2
    assert sf_org.control.records("Account") == []


def test_create_refuses_unknown_objects_and_operations(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    cases = [
        {"object": "Nope__c", "operation": "insert"},
        {"object": "Account", "operation": "merge"},
        {"object": "Account", "operation": "upsert"},
        {"object": "Account", "operation": "upsert", "externalIdFieldName": "Name"},
        {"object": "Account", "operation": "insert", "columnDelimiter": "COLON"},
    ]
    for spec in cases:
        response = api.post(INGEST, json=spec)
        assert response.status_code == 400, (spec, response.text)
        assert response.json()[0]["errorCode"] == "INVALIDJOB", (spec, response.text)
    broken = api.post(INGEST, data="{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_list_shows_the_users_jobs_and_journal_names_the_calls(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    run_job(api, "Name\nA\n", object="Account", operation="insert")
    listed = api.get(INGEST).json()
    assert listed["done"] is True and len(listed["records"]) == 1, listed
    assert "nextRecordsUrl" not in listed, listed
    other = sf_org.api("admin@test.org")
    create_job(other, object="Account", operation="insert")
    assert len(api.get(INGEST).json()["records"]) == 1
    entries = sf_org.control.journal(user="user@test.org")
    operations = [e["operation"] for e in entries]
    ran = [e for e in entries if e["operation"] == "change_job_state"]
    assert len(ran) == 1 and len(ran[0]["record_ids"]) == 1, ran
    assert ran[0]["record_ids"][0].startswith("001"), ran
    for name in ("create_ingest_job", "upload_job_data", "change_job_state", "get_job_info"):
        assert name in operations, operations


def test_multipart_create_runs_at_once(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    files = {
        "job": (None, '{"object": "Account", "operation": "insert"}', "application/json"),
        "content": ("content", "Name\nMulti\n", "text/csv"),
    }
    response = api.post(INGEST, files=files)
    assert response.status_code == 200 and response.json()["state"] == "UploadComplete", (
        response.text
    )
    info = api.get(f"{INGEST}/{response.json()['id']}").json()
    assert info["state"] == "JobComplete" and info["numberRecordsProcessed"] == 1, info


def test_relationship_columns_set_lookups_by_external_id(sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Account", "Legacy_Id__c", type="string", external_id=True)
    api = sf_org.api("user@test.org")
    account = api.post("/sobjects/Account", json={"Name": "Parent", "Legacy_Id__c": "P-1"})
    data = "LastName,Account.Legacy_Id__c\nKid,P-1\nLost,P-404\n"
    info = run_job(api, data, object="Contact", operation="insert")
    assert (info["state"], info["numberRecordsFailed"]) == ("JobComplete", 1), info
    kid = next(r for r in sf_org.control.records("Contact") if r["LastName"] == "Kid")
    assert kid["AccountId"] == account.json()["id"], kid
    error = result_rows(api, info["id"], "failedResults")[0]["sf__Error"]
    assert error == (
        "INVALID_FIELD:Foreign key external ID: P-404 not found for field Legacy_Id__c in "
        "entity Account:--"
    ), error
