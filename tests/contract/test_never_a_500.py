"""Bad input always gets a clear error, never a 500: payloads that once crashed the mock."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce import ids
from mock_salesforce.pytest_plugin import OrgHandle

V = "/services/data/v59.0"
REST_CASES: list[tuple[str, str, Any]] = [
    ("POST", "/sobjects/Account", {"Name": "x", "NumberOfEmployees": 10**26}),
    ("POST", "/sobjects/Account", {"Name": "x", "NumberOfEmployees": 3_000_000_000}),
    ("POST", "/sobjects/Account", {"Name": "x", "AnnualRevenue": 1e300}),
    (
        "POST",
        "/sobjects/Event",
        {"DurationInMinutes": 1e300, "ActivityDateTime": "2024-01-01T00:00:00Z"},
    ),
    ("GET", "/query?q=SELECT+Id+FROM+Lead+LIMIT+9223372036854775808", None),
    (
        "GET",
        "/query?q=SELECT+Id+FROM+Account+WHERE+NumberOfEmployees+>+99999999999999999999999",
        None,
    ),
    ("GET", "/query?q=SELECT+Id+FROM+Account+WHERE+CreatedDate+=+LAST_N_DAYS:99999999999", None),
    ("GET", "/query?q=SELECT+Id+FROM+Account+WHERE+CreatedDate+=+LAST_N_YEARS:99999", None),
    ("GET", "/query?q=SELECT+Id+FROM+Account+WHERE+CreatedDate+=+NEXT_N_MONTHS:999999", None),
    (
        "POST",
        "/composite",
        {
            "compositeRequest": [
                {"method": "GET", "url": f"{V}/sobjects", "referenceId": "a", "httpHeaders": "x"}
            ]
        },
    ),
    (
        "POST",
        "/composite",
        {
            "compositeRequest": [
                {
                    "method": "GET",
                    "url": f"{V}/sobjects",
                    "referenceId": "a",
                    "httpHeaders": {"If-Modified-Since": 5},
                }
            ]
        },
    ),
    ("POST", "/composite/sobjects", {"allOrNone": "maybe", "records": []}),
]


@pytest.mark.parametrize(("method", "path", "body"), REST_CASES)
def test_rest_bad_input_is_a_salesforce_error_not_a_500(
    sf_org: OrgHandle, method: str, path: str, body: Any
) -> None:
    response = sf_org.api("admin@test.org").request(method, path, json=body)
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        [error] = response.json()
        assert error["errorCode"] and error["message"], error


def test_numbers_too_large_for_the_field_are_number_outside_valid_range(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Account", json={"Name": "x", "NumberOfEmployees": 3_000_000_000}
    )
    assert response.status_code == 400, response.text
    [error] = response.json()
    assert error["errorCode"] == "NUMBER_OUTSIDE_VALID_RANGE", error
    assert error["fields"] == ["NumberOfEmployees"], error


def test_all_or_none_as_the_string_false_is_false(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/composite/sobjects",
        json={
            "allOrNone": "false",
            "records": [
                {"attributes": {"type": "Account"}, "Name": "Kept"},
                {"attributes": {"type": "Account"}},
            ],
        },
    )
    assert response.status_code == 200, response.text
    assert [r["success"] for r in response.json()] == [True, False], response.json()


def test_json_nan_and_infinity_are_parser_errors(sf_org: OrgHandle) -> None:
    for token in ("NaN", "Infinity", "-Infinity"):
        response = sf_org.api("admin@test.org").post(
            "/sobjects/Account",
            data=f'{{"Name": "x", "AnnualRevenue": {token}}}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400, (token, response.text)
        assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR", response.json()


CONTROL_CASES: list[tuple[str, str, Any]] = [
    ("POST", "/_mock/orgs", {"users": "x"}),
    ("POST", "/_mock/orgs", {"settings": "x"}),
    ("POST", "/_mock/seed", {"orgs": [1]}),
    ("PATCH", "/_mock/orgs/{org}/users/user@test.org", {"active": "no"}),
    ("POST", "/_mock/orgs/{org}/fields", {"object": "Contact", "name": "X__c", "length": "abc"}),
    ("POST", "/_mock/orgs/{org}/fields", {"object": "Contact", "name": 'a"; DROP--__c'}),
    ("POST", "/_mock/orgs/{org}/clock/advance", {"days": "x"}),
    ("POST", "/_mock/orgs/{org}/clock/advance", {"days": 1e10}),
    ("POST", "/_mock/orgs/{org}/clock/advance", {"hours": 1e308}),
    (
        "POST",
        "/_mock/orgs/{org}/records",
        {"object": "Contact", "records": [{"LastName": "x", "CreatedDate": "garbage"}]},
    ),
    ("POST", "/_mock/orgs/{org}/profiles", {"name": "P1", "objects": "x"}),
    ("POST", "/_mock/orgs/{org}/profiles", {"name": "P2", "login_ip_ranges": "x"}),
    ("POST", "/_mock/orgs/{org}/users", {"username": "n2@x.org", "permission_sets": "abc"}),
    ("PATCH", "/_mock/orgs/{org}/settings", {"api_daily_limit": -1}),
]


@pytest.mark.parametrize(("method", "path", "body"), CONTROL_CASES)
def test_control_plane_bad_input_is_a_400_that_says_why(
    sf_org: OrgHandle, method: str, path: str, body: Any
) -> None:
    response = requests.request(
        method, sf_org.base_url + path.format(org=sf_org.id), json=body, timeout=10
    )
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.json()["error"], response.text


def test_failed_user_creation_leaves_no_user_behind(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/users",
        json={"username": "half@test.org", "permission_sets": ["nope"]},
        timeout=10,
    )
    assert response.status_code == 404, response.text
    users = {u["username"] for u in sf_org.control.call("GET", "/users")}
    assert "half@test.org" not in users, users


def test_journal_record_filter_matches_ids_exactly(sf_org: OrgHandle) -> None:
    [lead] = sf_org.control.seed_records("Lead", [{"LastName": "L", "Company": "C"}])
    api = sf_org.api("admin@test.org")
    assert api.patch(f"/sobjects/Lead/{lead}", json={"Title": "T"}).status_code == 204
    position = max(i for i, char in enumerate(lead[:15]) if char.isalpha())
    other15 = lead[:position] + lead[position].swapcase() + lead[position + 1 : 15]
    other = ids.to18(other15)
    assert sf_org.control.journal(record_id=lead), "the record's own id matches"
    assert sf_org.control.journal(record_id=other) == [], "a different id must not match"


def test_lead_assignment_rule_runs_on_update_unless_the_header_says_false(
    sf_org: OrgHandle,
) -> None:
    api = sf_org.api("admin@test.org")
    owner = sf_org.users["user@test.org"]
    created = api.post(
        "/sobjects/Lead",
        json={"LastName": "L", "Company": "C", "OwnerId": owner},
        headers={"Sforce-Auto-Assign": "FALSE"},
    )
    lead = created.json()["id"]
    sf_org.control.settings(lead_assignment_owner="admin@test.org")
    kept = api.patch(
        f"/sobjects/Lead/{lead}", json={"Title": "A"}, headers={"Sforce-Auto-Assign": "FALSE"}
    )
    assert kept.status_code == 204
    assert api.get(f"/sobjects/Lead/{lead}").json()["OwnerId"] == owner
    assert api.patch(f"/sobjects/Lead/{lead}", json={"Title": "B"}).status_code == 204
    routed = api.get(f"/sobjects/Lead/{lead}").json()["OwnerId"]
    assert routed == sf_org.users["admin@test.org"], "the rule re-routes an update without FALSE"
