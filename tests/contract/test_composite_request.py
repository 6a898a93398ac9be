"""``POST /composite``: reference chaining, PROCESSING_HALTED and allOrNone (REST API Developer
Guide, "Composite")."""

from __future__ import annotations

from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle

V = "/services/data/v59.0"
ROLLED_BACK = (
    "The transaction was rolled back since another operation in the same transaction failed."
)


def composite(api: requests.Session, subrequests: list[dict[str, Any]], **options: Any) -> Any:
    response = api.post("/composite", json={"compositeRequest": subrequests, **options})
    assert response.status_code == 200, response.text
    return response.json()["compositeResponse"]


def account_then_contact(contact: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "method": "POST",
            "url": f"{V}/sobjects/Account",
            "referenceId": "NewAccount",
            "body": {"Name": "Acme"},
        },
        {
            "method": "POST",
            "url": f"{V}/sobjects/Contact",
            "referenceId": "NewContact",
            "body": contact,
        },
    ]


def test_references_chain_subrequests(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    responses = composite(
        api,
        [
            *account_then_contact({"LastName": "Doe", "AccountId": "@{NewAccount.id}"}),
            {
                "method": "GET",
                "referenceId": "Fetched",
                "url": f"{V}/sobjects/Contact/@{{NewContact.id}}?fields=AccountId,LastName",
            },
        ],
        allOrNone=True,
    )
    account, contact, fetched = responses
    assert (account["httpStatusCode"], contact["httpStatusCode"]) == (201, 201), responses
    assert account["httpHeaders"]["Location"] == f"{V}/sobjects/Account/{account['body']['id']}"
    assert contact["body"]["success"] is True and contact["referenceId"] == "NewContact"
    assert fetched["httpStatusCode"] == 200, fetched
    assert fetched["body"]["AccountId"] == account["body"]["id"], fetched


def test_indexed_references_reach_into_arrays(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    responses = composite(
        api,
        [
            {
                "method": "POST",
                "url": f"{V}/composite/sobjects",
                "referenceId": "Many",
                "body": {"records": [{"attributes": {"type": "Account"}, "Name": "A"}]},
            },
            {
                "method": "POST",
                "url": f"{V}/sobjects/Contact",
                "referenceId": "C",
                "body": {"LastName": "Doe", "AccountId": "@{Many[0].id}"},
            },
        ],
    )
    assert responses[1]["httpStatusCode"] == 201, responses
    contact = api.get(f"/sobjects/Contact/{responses[1]['body']['id']}").json()
    assert contact["AccountId"] == responses[0]["body"][0]["id"], contact


def test_failed_subrequest_halts_its_dependents_only(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    responses = composite(
        api,
        [
            {
                "method": "POST",
                "url": f"{V}/sobjects/Account",
                "referenceId": "NewAccount",
                "body": {"Phone": "no name"},
            },
            {
                "method": "POST",
                "url": f"{V}/sobjects/Contact",
                "referenceId": "Dependent",
                "body": {"LastName": "Doe", "AccountId": "@{NewAccount.id}"},
            },
            {
                "method": "POST",
                "url": f"{V}/sobjects/Lead",
                "referenceId": "Independent",
                "body": {"LastName": "Lee", "Company": "Co"},
            },
        ],
    )
    failed, dependent, independent = responses
    assert failed["httpStatusCode"] == 400, failed
    assert failed["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING", failed
    assert dependent["httpStatusCode"] == 400, dependent
    assert dependent["body"][0]["errorCode"] == "PROCESSING_HALTED", dependent
    assert dependent["body"][0]["message"].startswith(
        "Invalid reference specified. No value for NewAccount.id found in NewAccount."
    ), dependent
    assert independent["httpStatusCode"] == 201, independent
    assert len(sf_org.control.records("Lead")) == 1


def test_all_or_none_failure_rolls_back_every_subrequest(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    responses = composite(
        api,
        [
            *account_then_contact({"FirstName": "no last name", "AccountId": "@{NewAccount.id}"}),
            {
                "method": "POST",
                "url": f"{V}/sobjects/Lead",
                "referenceId": "After",
                "body": {"LastName": "Lee", "Company": "Co"},
            },
        ],
        allOrNone=True,
    )
    codes = [(r["httpStatusCode"], r["body"][0]["errorCode"]) for r in responses]
    assert codes == [
        (400, "PROCESSING_HALTED"),
        (400, "REQUIRED_FIELD_MISSING"),
        (400, "PROCESSING_HALTED"),
    ], responses
    assert responses[0]["body"][0]["message"] == ROLLED_BACK, responses[0]
    for sobject in ("Account", "Contact", "Lead"):
        assert sf_org.control.records(sobject) == [], f"{sobject} kept a rolled-back row"


def test_subrequests_answer_their_own_errors_and_methods(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    responses = composite(
        api,
        [
            {
                "method": "GET",
                "url": f"{V}/sobjects/Contact/003000000000000AAA",
                "referenceId": "A",
            },
            {"method": "PUT", "url": f"{V}/sobjects/Contact", "referenceId": "B"},
            {"method": "GET", "url": f"{V}/sobjects/Contact/describe", "referenceId": "C"},
            {"method": "GET", "url": f"{V}/query?q=SELECT+Id+FROM+Contact", "referenceId": "D"},
        ],
    )
    seen = [
        (r["httpStatusCode"], r["body"][0]["errorCode"] if r["httpStatusCode"] >= 400 else "ok")
        for r in responses
    ]
    assert seen[:3] == [(404, "NOT_FOUND"), (405, "METHOD_NOT_ALLOWED"), (200, "ok")], responses
    query = responses[3]
    assert query["httpStatusCode"] == 200, query
    assert query["body"]["totalSize"] == 0 and query["body"]["done"] is True, query


def test_bad_reference_id_fails_the_whole_request(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").post(
        "/composite",
        json={
            "compositeRequest": [
                {"method": "GET", "url": f"{V}/sobjects", "referenceId": "bad-ref"}
            ]
        },
    )
    assert response.status_code == 400, response.text
    assert "bad-ref" in response.json()[0]["message"], response.text


def test_subrequest_may_not_carry_its_own_authorization(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").post(
        "/composite",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "url": f"{V}/sobjects",
                    "referenceId": "A",
                    "httpHeaders": {"Authorization": "Bearer x"},
                }
            ]
        },
    )
    assert response.status_code == 400, response.text


def test_more_than_25_subrequests_are_refused(sf_org: OrgHandle) -> None:
    subrequests = [
        {"method": "GET", "url": f"{V}/sobjects", "referenceId": f"R{n}"} for n in range(26)
    ]
    response = sf_org.api("user@test.org").post(
        "/composite", json={"compositeRequest": subrequests}
    )
    assert response.status_code == 400, response.text


def test_subrequest_if_modified_since_header_gives_304_with_null_body(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    stamp = api.get("/sobjects/Contact/describe").headers["Last-Modified"]
    responses = composite(
        api,
        [
            {
                "method": "GET",
                "url": f"{V}/sobjects/Contact/describe",
                "referenceId": "D",
                "httpHeaders": {"If-Modified-Since": stamp},
            }
        ],
    )
    assert (responses[0]["httpStatusCode"], responses[0]["body"]) == (304, None), responses


def test_composite_is_one_journal_entry_counted_once(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    before = int(api.get("/limits").headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    responses = composite(api, account_then_contact({"LastName": "Doe"}))
    after = int(api.get("/limits").headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    assert after == before + 2, (before, after)
    entries = sf_org.control.journal(operation="composite")
    assert entries[0]["record_ids"] == [r["body"]["id"] for r in responses], entries


def test_subrequest_auto_assign_header_turns_the_lead_rule_off(sf_org: OrgHandle) -> None:
    sf_org.control.settings(lead_assignment_owner="admin@test.org")
    api = sf_org.api("user@test.org")
    lead = {"LastName": "Lee", "Company": "Co"}
    responses = composite(
        api,
        [
            {
                "method": "POST",
                "url": f"{V}/sobjects/Lead",
                "referenceId": "Assigned",
                "body": lead,
            },
            {
                "method": "POST",
                "url": f"{V}/sobjects/Lead",
                "referenceId": "Kept",
                "body": lead,
                "httpHeaders": {"Sforce-Auto-Assign": "FALSE"},
            },
        ],
    )
    owners = [api.get(f"/sobjects/Lead/{r['body']['id']}").json()["OwnerId"] for r in responses]
    assert owners == [sf_org.users["admin@test.org"], sf_org.users["user@test.org"]], owners


def test_query_subrequest_feeds_a_later_reference(sf_org: OrgHandle) -> None:
    [account] = sf_org.control.seed_records("Account", [{"Name": "Globex"}])
    response = sf_org.api("admin@test.org").post(
        "/composite",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "url": f"{V}/query?q=SELECT+Id+FROM+Account+WHERE+Name+=+'Globex'",
                    "referenceId": "Q",
                },
                {
                    "method": "POST",
                    "url": f"{V}/sobjects/Contact",
                    "referenceId": "C",
                    "body": {"LastName": "Scorpio", "AccountId": "@{Q.records[0].Id}"},
                },
            ]
        },
    )
    assert response.status_code == 200, response.text
    query, contact = response.json()["compositeResponse"]
    assert query["body"]["records"][0]["Id"] == account, query
    assert contact["httpStatusCode"] == 201, contact
    [row] = sf_org.control.records("Contact")
    assert row["AccountId"] == account, row
