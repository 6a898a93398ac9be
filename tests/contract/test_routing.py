"""Routing never redirects, never answers HTML, and speaks Salesforce's errors."""

from __future__ import annotations

import requests

from mock_salesforce.pytest_plugin import OrgHandle


def test_versions_list_needs_no_session(sf_org: OrgHandle) -> None:
    response = requests.get(f"{sf_org.base_url}/services/data", timeout=10)
    assert response.status_code == 200
    versions = {v["version"]: v for v in response.json()}
    assert versions["59.0"] == {
        "label": "Winter '24",
        "url": "/services/data/v59.0",
        "version": "59.0",
    }
    assert min(versions) == "31.0" and max(versions) == "66.0", sorted(versions)
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"


def test_trailing_slash_is_served_without_redirect(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects/",
        headers={"Authorization": f"Bearer {sf_org.token('user@test.org')}"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 200, (response.status_code, response.headers)


def test_unknown_route_is_salesforce_not_found_json(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").get("/no/such/thing")
    assert response.status_code == 404
    assert response.json() == [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]


def test_unsupported_version_is_not_found(sf_org: OrgHandle) -> None:
    response = requests.get(f"{sf_org.base_url}/services/data/v20.0/sobjects", timeout=10)
    assert response.status_code == 404
    assert response.json()[0]["errorCode"] == "NOT_FOUND"


def test_wrong_method_is_method_not_allowed_json(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").delete("/sobjects")
    assert response.status_code == 405
    [error] = response.json()
    assert error["errorCode"] == "METHOD_NOT_ALLOWED"
    assert error["message"].startswith("HTTP Method 'DELETE' not allowed. Allowed are "), error


def test_missing_or_garbage_token_is_invalid_session(sf_org: OrgHandle) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic x"}):
        response = requests.get(
            f"{sf_org.base_url}/services/data/v59.0/sobjects", headers=headers, timeout=10
        )
        assert response.status_code == 401, (headers, response.text)
        assert response.json()[0]["errorCode"] == "INVALID_SESSION_ID"


def test_user_without_api_enabled_gets_api_currently_disabled(sf_org: OrgHandle) -> None:
    sf_org.control.update_profile("Standard User", user_permissions={"ApiEnabled": False})
    response = sf_org.api("user@test.org").get("/sobjects")
    assert response.status_code == 403
    assert response.json() == [
        {"message": "API is disabled for this User", "errorCode": "API_CURRENTLY_DISABLED"}
    ]


def test_in_process_transport_shares_the_live_servers_store(
    sf_inprocess: requests.Session, sf_org: OrgHandle
) -> None:
    response = sf_inprocess.get("https://login.salesforce.com/services/data")
    assert response.status_code == 200
    assert response.json()[-1]["version"] == "66.0"
    token = sf_org.token("user@test.org")
    in_process = sf_inprocess.get(
        "https://mock.my.salesforce.com/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert in_process.status_code == 200, in_process.text
    [entry] = sf_org.control.journal(user="user@test.org")
    assert entry["operation"] == "describe_global", "the socketless call lands in the same journal"


def test_in_process_answer_streams_and_reads_like_a_socket_answer(
    sf_inprocess: requests.Session, sf_org: OrgHandle
) -> None:
    url = "https://login.salesforce.com/services/data"
    whole = sf_inprocess.get(url).content
    streamed = sf_inprocess.get(url, stream=True)
    chunks = list(streamed.iter_content(chunk_size=100))
    assert b"".join(chunks) == whole and len(chunks) > 1, (len(chunks), len(whole))
    raw = sf_inprocess.get(url, stream=True).raw
    assert (raw.status, raw.headers["Content-Type"]) == (200, "application/json;charset=UTF-8")
    assert raw.read(10) + raw.read() == whole, "raw.read() gives the body"
    lines = list(sf_inprocess.get(url, stream=True).iter_lines())
    assert b"".join(lines) == whole.replace(b"\n", b""), lines[:2]
