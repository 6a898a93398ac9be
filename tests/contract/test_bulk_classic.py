"""Bulk API 1.0 over HTTP (``/services/async/59.0``): JSON jobs as simple-salesforce sends them,
XML jobs with CSV batches as jsforce sends them, query result sets, and the error documents
(Bulk API Developer Guide)."""

from __future__ import annotations

import csv
import io
from typing import Any
from xml.etree import ElementTree as ET

import requests

from mock_salesforce.pytest_plugin import OrgHandle

NS = "{http://www.force.com/2009/06/asyncapi/dataload}"
JOB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">
  <operation>{operation}</operation><object>{sobject}</object><contentType>CSV</contentType>
</jobInfo>"""


def bulk1(sf_org: OrgHandle, user: str = "user@test.org") -> tuple[requests.Session, str]:
    http = requests.Session()
    http.headers["X-SFDC-Session"] = sf_org.token(user)
    return http, f"{sf_org.base_url}/services/async/59.0"


def json_job(http: requests.Session, base: str, **spec: Any) -> dict[str, Any]:
    body = {"concurrencyMode": 0, "contentType": "JSON", **spec}
    response = http.post(f"{base}/job", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    job: dict[str, Any] = response.json()
    return job


def test_json_insert_batch_results_and_close(sf_org: OrgHandle) -> None:
    http, base = bulk1(sf_org)
    job = json_job(http, base, operation="insert", object="Contact")
    assert job["state"] == "Open" and job["concurrencyMode"] == "Parallel", job
    assert job["createdDate"].endswith("+0000") and job["apiVersion"] == 59.0, job
    records = [{"LastName": "Doe", "Email": "doe@example.com"}, {"FirstName": "No last name"}]
    batch = http.post(f"{base}/job/{job['id']}/batch", json=records).json()
    assert batch["state"] == "Queued" and batch["jobId"] == job["id"], batch
    assert batch["id"].startswith("751"), batch
    info = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}").json()
    assert (info["state"], info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (
        "Completed",
        2,
        1,
    ), info
    results = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}/result").json()
    assert results[0]["success"] is True and results[0]["created"] is True, results
    assert results[1] == {
        "success": False,
        "created": False,
        "id": None,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [LastName]",
                "fields": ["LastName"],
            }
        ],
    }, results
    closed = http.post(f"{base}/job/{job['id']}", json={"state": "Closed"}).json()
    assert closed["state"] == "Closed" and closed["numberBatchesCompleted"] == 1, closed
    assert closed["numberBatchesTotal"] == 1, closed
    contact = sf_org.control.records("Contact")[0]
    assert contact["OwnerId"] == sf_org.users["user@test.org"], contact


def test_json_query_returns_records_with_attributes_and_epoch_dates(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2019-01-05T03:41:05Z")
    sf_org.api("user@test.org").post("/sobjects/Account", json={"Name": "ACME"})
    http, base = bulk1(sf_org)
    job = json_job(http, base, operation="query", object="Account")
    batch = http.post(
        f"{base}/job/{job['id']}/batch",
        data="SELECT Id, Name, CreatedDate FROM Account",
        headers={"Content-Type": "application/json"},
    ).json()
    result_ids = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}/result").json()
    assert len(result_ids) == 1 and result_ids[0].startswith("752"), result_ids
    rows = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}/result/{result_ids[0]}").json()
    assert rows[0]["attributes"]["type"] == "Account", rows
    assert rows[0]["Name"] == "ACME" and rows[0]["CreatedDate"] == 1546659665000, rows


def test_xml_job_with_csv_batch_as_jsforce_sends_it(sf_org: OrgHandle) -> None:
    http, base = bulk1(sf_org)
    created = http.post(
        f"{base}/job",
        data=JOB_XML.format(operation="insert", sobject="Account"),
        headers={"Content-Type": "application/xml; charset=utf-8"},
    )
    assert created.status_code == 200, created.text
    root = ET.fromstring(created.text)
    assert root.tag == f"{NS}jobInfo", created.text
    job_id = root.findtext(f"{NS}id")
    assert root.findtext(f"{NS}state") == "Open", created.text
    assert root.findtext(f"{NS}createdDate", "").endswith("Z"), created.text
    batch = http.post(
        f"{base}/job/{job_id}/batch",
        data="Name,Phone\nOne,#N/A\n,2\n",
        headers={"Content-Type": "text/csv"},
    )
    assert ET.fromstring(batch.text).tag == f"{NS}batchInfo", batch.text
    batch_id = ET.fromstring(batch.text).findtext(f"{NS}id")
    listed = ET.fromstring(http.get(f"{base}/job/{job_id}/batch").text)
    assert listed.tag == f"{NS}batchInfoList" and len(listed) == 1, ET.tostring(listed)
    result = http.get(f"{base}/job/{job_id}/batch/{batch_id}/result")
    assert result.headers["Content-Type"].startswith("text/csv"), result.headers
    rows = list(csv.DictReader(io.StringIO(result.text)))
    assert [(r["Success"], r["Created"]) for r in rows] == [("true", "true"), ("false", "false")]
    assert rows[1]["Error"].startswith("REQUIRED_FIELD_MISSING:"), rows
    assert result.text.splitlines()[0] == '"Id","Success","Created","Error"', result.text


def test_xml_batch_of_sobjects(sf_org: OrgHandle) -> None:
    http, base = bulk1(sf_org)
    spec = "<jobInfo xmlns='http://www.force.com/2009/06/asyncapi/dataload'><operation>insert"
    spec += "</operation><object>Account</object><contentType>XML</contentType></jobInfo>"
    job = ET.fromstring(
        http.post(f"{base}/job", data=spec, headers={"Content-Type": "application/xml"}).text
    )
    job_id = job.findtext(f"{NS}id")
    data = (
        "<sObjects xmlns='http://www.force.com/2009/06/asyncapi/dataload'>"
        "<sObject><Name>X</Name><NumberOfEmployees>7</NumberOfEmployees></sObject>"
        "</sObjects>"
    )
    batch = ET.fromstring(
        http.post(
            f"{base}/job/{job_id}/batch", data=data, headers={"Content-Type": "application/xml"}
        ).text
    )
    result = http.get(f"{base}/job/{job_id}/batch/{batch.findtext(f'{NS}id')}/result")
    root = ET.fromstring(result.text)
    assert root.tag == f"{NS}results", result.text
    assert root.find(f"{NS}result/{NS}success").text == "true", result.text  # type: ignore[union-attr]
    assert sf_org.control.records("Account")[0]["NumberOfEmployees"] == 7


def test_csv_query_result_set(sf_org: OrgHandle) -> None:
    sf_org.api("user@test.org").post("/sobjects/Account", json={"Name": "Q"})
    http, base = bulk1(sf_org)
    job = ET.fromstring(
        http.post(
            f"{base}/job",
            data=JOB_XML.format(operation="query", sobject="Account"),
            headers={"Content-Type": "application/xml"},
        ).text
    )
    job_id = job.findtext(f"{NS}id")
    batch = ET.fromstring(
        http.post(
            f"{base}/job/{job_id}/batch",
            data="SELECT Name FROM Account",
            headers={"Content-Type": "text/csv"},
        ).text
    )
    batch_id = batch.findtext(f"{NS}id")
    listing = ET.fromstring(http.get(f"{base}/job/{job_id}/batch/{batch_id}/result").text)
    assert listing.tag == f"{NS}result-list", ET.tostring(listing)
    result_id = listing.findtext(f"{NS}result")
    data = http.get(f"{base}/job/{job_id}/batch/{batch_id}/result/{result_id}")
    assert data.text == '"Name"\n"Q"\n', data.text


def test_errors_are_exception_documents(sf_org: OrgHandle) -> None:
    http, base = bulk1(sf_org)
    bad_session = requests.post(
        f"{base}/job",
        data=JOB_XML.format(operation="insert", sobject="Account"),
        headers={"X-SFDC-Session": "00D000000000000!nope", "Content-Type": "application/xml"},
    )
    assert bad_session.status_code == 400, bad_session.text
    assert "<exceptionCode>InvalidSessionId</exceptionCode>" in bad_session.text
    upper = http.post(
        f"{base}/job", json={"operation": "INSERT", "object": "Account", "contentType": "JSON"}
    )
    assert upper.status_code == 400 and upper.json()["exceptionCode"] == "InvalidJob", upper.text
    unknown = http.post(
        f"{base}/job", json={"operation": "insert", "object": "Nope", "contentType": "JSON"}
    )
    assert unknown.json() == {
        "exceptionCode": "InvalidJob",
        "exceptionMessage": "Unable to find object: Nope",
    }
    job = json_job(http, base, operation="insert", object="Account")
    single = http.post(f"{base}/job/{job['id']}/batch", json={"Name": "not a list"})
    assert single.json() == {
        "exceptionCode": "InvalidBatch",
        "exceptionMessage": "Records not processed",
    }, single.text
    empty = http.post(f"{base}/job/{job['id']}/batch", json=[])
    assert empty.json()["exceptionCode"] == "ClientInputError", empty.text
    missing = http.get(f"{base}/job/{job['id']}/batch/751000000000000AAA")
    assert missing.json()["exceptionCode"] == "InvalidBatch", missing.text
    http.post(f"{base}/job/{job['id']}", json={"state": "Closed"})
    late = http.post(f"{base}/job/{job['id']}/batch", json=[{"Name": "x"}])
    assert late.json()["exceptionCode"] == "InvalidJobState", late.text


def test_abort_marks_queued_batches_not_processed(sf_org: OrgHandle) -> None:
    sf_org.control.call("PATCH", "/bulk", {"hold": True})
    http, base = bulk1(sf_org)
    job = json_job(http, base, operation="insert", object="Account")
    batch = http.post(f"{base}/job/{job['id']}/batch", json=[{"Name": "x"}]).json()
    state = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}").json()["state"]
    assert state == "InProgress"
    aborted = http.post(f"{base}/job/{job['id']}", json={"state": "Aborted"}).json()
    assert aborted["state"] == "Aborted", aborted
    after = http.get(f"{base}/job/{job['id']}/batch/{batch['id']}").json()
    assert after["state"] == "NotProcessed", after
    assert sf_org.control.records("Account") == []


def test_upsert_update_and_delete_with_json_batches(sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Account", "Ext__c", type="string", external_id=True)
    http, base = bulk1(sf_org)
    upsert = json_job(
        http, base, operation="upsert", object="Account", externalIdFieldName="Ext__c"
    )
    batch = http.post(
        f"{base}/job/{upsert['id']}/batch", json=[{"Ext__c": "e1", "Name": "One"}]
    ).json()
    first = http.get(f"{base}/job/{upsert['id']}/batch/{batch['id']}/result").json()[0]
    assert first["created"] is True, first
    update = json_job(http, base, operation="update", object="Account")
    batch = http.post(
        f"{base}/job/{update['id']}/batch",
        json=[{"Id": first["id"], "Name": "Renamed"}, {"Id": "bad"}],
    ).json()
    results = http.get(f"{base}/job/{update['id']}/batch/{batch['id']}/result").json()
    assert results[0]["success"] is True, results
    assert results[1]["errors"][0]["statusCode"] == "MALFORMED_ID", results
    delete = json_job(http, base, operation="delete", object="Account")
    batch = http.post(f"{base}/job/{delete['id']}/batch", json=[{"Id": first["id"]}]).json()
    gone = http.get(f"{base}/job/{delete['id']}/batch/{batch['id']}/result").json()
    assert gone[0]["success"] is True, gone
    record = sf_org.control.records("Account")[0]
    assert (record["Name"], record["IsDeleted"]) == ("Renamed", True), record
    journal = sf_org.control.journal(api="bulk")
    assert {e["operation"] for e in journal} >= {"create_job", "add_batch", "get_batch_result"}
