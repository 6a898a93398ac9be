"""The REST surface itself: versions, resources, routing, errors, limits, faults, journal."""

from __future__ import annotations

import requests

from mock_salesforce.pytest_plugin import OrgHandle


def test_versions_list_needs_no_session(sf_org: OrgHandle) -> None:
    response = requests.get(f"{sf_org.base_url}/services/data", timeout=10)
    assert response.status_code == 200, response.text
    versions = response.json()
    assert {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"} in versions
    assert versions[0]["version"] == "31.0" and versions[-1]["version"] == "66.0", versions


def test_version_root_maps_resources_to_urls(sf_org: OrgHandle) -> None:
    body = sf_org.api("admin@test.org").get("/services/data/v59.0").json()
    assert body["sobjects"] == "/services/data/v59.0/sobjects", body
    assert {"query", "queryAll", "composite", "limits"} <= set(body), body


def test_trailing_slashes_are_served_without_redirects(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = api.post("/sobjects/Contact/", json={"LastName": "x"}).json()["id"]
    for path in ("/sobjects/", f"/sobjects/Contact/{record_id}/", "/sobjects/Contact/describe/"):
        response = api.get(path, allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code, response.text[:200])


def test_unsupported_version_is_not_found(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org", version="30.0").get("/sobjects")
    assert response.status_code == 404, response.text
    assert response.json()[0]["errorCode"] == "NOT_FOUND"


def test_unknown_route_is_salesforce_shaped_json(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").get("/nothing/here")
    assert response.status_code == 404, response.text
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    assert response.json() == [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]


def test_wrong_method_is_method_not_allowed_json(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").put("/sobjects/Contact", json={})
    assert response.status_code == 405, response.text
    body = response.json()
    assert body[0]["errorCode"] == "METHOD_NOT_ALLOWED", body
    assert body[0]["message"].startswith("HTTP Method 'PUT' not allowed. Allowed are "), body


def test_bad_token_is_invalid_session_id(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {sf_org.id[:15]}!nope"},
        timeout=10,
    )
    assert response.status_code == 401, response.text
    assert response.json() == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]


def test_every_response_carries_the_limit_header(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    first = api.get("/sobjects")
    second = api.post("/sobjects/Contact", json={"FirstName": "no last name"})
    used = [
        int(r.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0]) for r in (first, second)
    ]
    assert used[1] == used[0] + 1, used
    assert second.headers["Sforce-Limit-Info"].endswith("/15000"), second.headers


def test_daily_allocation_runs_out_and_recovers_after_24_hours(sf_org: OrgHandle) -> None:
    sf_org.control.settings(api_daily_limit=3)
    api = sf_org.api("admin@test.org")
    statuses = [api.get("/limits").status_code for _ in range(3)]
    refused = api.get("/sobjects")
    assert statuses == [200, 200, 200], statuses
    assert refused.status_code == 403, refused.text
    assert refused.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    sf_org.control.advance_clock(hours=24, seconds=1)
    recovered = sf_org.api("admin@test.org").get("/limits")  # the old session timed out
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["DailyApiRequests"] == {"Max": 3, "Remaining": 2}, recovered.json()


def test_faults_apply_to_record_routes(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"operation": "create_record", "sobject": "Contact"},
        error={"errorCode": "UNABLE_TO_LOCK_ROW"},
    )
    api = sf_org.api("admin@test.org")
    failed = api.post("/sobjects/Contact", json={"LastName": "x"})
    assert failed.status_code == 400 and failed.json()[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    assert api.post("/sobjects/Contact", json={"LastName": "x"}).status_code == 201
    assert len(sf_org.control.records("Contact")) == 1


def test_a_fault_matches_a_composite_call_as_one_call_not_its_subrequests(
    sf_org: OrgHandle,
) -> None:
    # docs/control-plane.md, "Faults": a rule on the describe path does not reach a describe
    # made inside a composite call; a rule on the composite call fails it whole.
    sf_org.control.add_fault(
        match={"path": "/sobjects/Contact/describe"}, error={"errorCode": "REQUEST_LIMIT_EXCEEDED"}
    )
    api = sf_org.api("admin@test.org")
    inside = {
        "compositeRequest": [
            {
                "method": "GET",
                "url": "/services/data/v59.0/sobjects/Contact/describe",
                "referenceId": "d",
            }
        ]
    }
    answered = api.post("/composite", json=inside)
    assert answered.status_code == 200, answered.text[:300]
    [sub] = answered.json()["compositeResponse"]
    assert sub["httpStatusCode"] == 200, sub["httpStatusCode"]
    sf_org.control.add_fault(
        match={"operation": "composite", "path": "/composite"},
        error={"errorCode": "REQUEST_LIMIT_EXCEEDED"},
    )
    refused = api.post("/composite", json=inside)
    assert refused.status_code == 403, refused.text[:300]
    assert refused.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED", refused.text[:300]


def test_describe_and_limits_calls_are_journaled(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    api.get("/sobjects")
    api.get("/sobjects/Account/describe")
    entries = sf_org.control.journal(user="user@test.org")
    seen = [(e["operation"], e["sobject"], e["status"]) for e in entries]
    assert seen == [("describe_global", None, 200), ("describe_sobject", "Account", 200)], seen
