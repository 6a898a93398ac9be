"""Bad input to either Bulk API gets a Salesforce-shaped error, never a 500 or HTML."""

from __future__ import annotations

from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle

V2_CASES: list[tuple[str, str, Any]] = [
    ("POST", "/jobs/ingest", ["not", "an", "object"]),
    ("POST", "/jobs/ingest", {"object": 5, "operation": "insert"}),
    ("POST", "/jobs/ingest", {"object": "Account", "operation": None}),
    ("POST", "/jobs/query", {"operation": "query"}),
    ("POST", "/jobs/query", {"operation": "query", "query": "SELEKT"}),
    (
        "POST",
        "/jobs/query",
        {"operation": "query", "query": "SELECT Id FROM Account", "lineEnding": "CR"},
    ),
    ("GET", "/jobs/ingest/750000000000000AAA", None),
    ("GET", "/jobs/ingest/garbage/successfulResults", None),
    ("GET", "/jobs/query/750000000000000AAA/results?maxRecords=abc", None),
    ("PATCH", "/jobs/ingest/750000000000000AAA", {"state": "UploadComplete"}),
]


def test_bulk2_bad_input_is_a_rest_error(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    for method, path, body in V2_CASES:
        response = api.request(method, path, json=body)
        assert 400 <= response.status_code < 500, (
            method,
            path,
            response.status_code,
            response.text,
        )
        error = response.json()[0]
        assert error["errorCode"] and error["message"], (path, error)


def test_bulk2_bad_uploads_and_locators(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    job = api.post("/jobs/ingest", json={"object": "Account", "operation": "insert"}).json()
    bad = api.put(f"/jobs/ingest/{job['id']}/batches", data='Name\n"open quote\n')
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "CLIENTINPUTERROR", bad.text
    binary = api.put(f"/jobs/ingest/{job['id']}/batches", data=b"Name\n\xff\xfe\n")
    assert binary.status_code == 201, binary.text
    wrong_state = api.patch(f"/jobs/ingest/{job['id']}", json={"state": "JobComplete"})
    assert wrong_state.status_code == 400, wrong_state.text
    query = api.post("/jobs/query", json={"operation": "query", "query": "SELECT Id FROM Account"})
    locator = api.get(f"/jobs/query/{query.json()['id']}/results", params={"locator": "%%%"})
    assert locator.status_code == 400, locator.text
    old = sf_org.api("user@test.org", version="40.0").post(
        "/jobs/ingest", json={"object": "Account", "operation": "insert"}
    )
    assert old.status_code == 404 and old.json()[0]["errorCode"] == "NOT_FOUND", old.text


def test_bulk1_bad_input_is_an_exception_document(sf_org: OrgHandle) -> None:
    http = requests.Session()
    http.headers["X-SFDC-Session"] = sf_org.token("user@test.org")
    base = f"{sf_org.base_url}/services/async/59.0"
    xml = {"Content-Type": "application/xml"}
    cases: list[tuple[str, str, Any, dict[str, str]]] = [
        ("POST", "/job", "<jobInfo", xml),
        ("POST", "/job", '<!DOCTYPE x [<!ENTITY a "b">]><jobInfo/>', xml),
        ("POST", "/job", "<other/>", xml),
        ("POST", "/job", "[1, 2]", {"Content-Type": "application/json"}),
        ("POST", "/job", "", xml),
        ("GET", "/job/750000000000000AAA", None, xml),
        ("GET", "/nothing/here", None, xml),
    ]
    for method, path, body, headers in cases:
        response = http.request(method, base + path, data=body, headers=headers)
        assert response.status_code == 400, (path, body, response.status_code, response.text)
        assert "<exceptionCode>" in response.text or "exceptionCode" in response.json(), (
            path,
            response.text,
        )
    job = http.post(
        f"{base}/job", json={"operation": "insert", "object": "Account", "contentType": "CSV"}
    )
    job_id = job.json()["id"]
    batch = http.post(
        f"{base}/job/{job_id}/batch", data='Name\n"x', headers={"Content-Type": "text/csv"}
    )
    assert batch.status_code == 400 and "InvalidBatch" in batch.text, batch.text
    version = http.get(f"{sf_org.base_url}/services/async/abc/job/{job_id}")
    assert version.status_code == 400 and "InvalidUrl" in version.text, version.text
