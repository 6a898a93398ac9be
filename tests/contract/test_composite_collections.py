"""sObject Collections (``/composite/sobjects``): per-record results and allOrNone rollback
(REST API Developer Guide, "sObject Collections")."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle

ROLLED_BACK = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "message": "Record rolled back because not all records were valid and the request was "
    "using AllOrNone header",
    "fields": [],
}


def records(*items: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"attributes": {"type": sobject}, **fields} for sobject, fields in items]


def post_many(api: requests.Session, items: list[dict[str, Any]], all_or_none: bool) -> Any:
    response = api.post("/composite/sobjects", json={"allOrNone": all_or_none, "records": items})
    assert response.status_code == 200, response.text
    return response.json()


def test_create_many_reports_each_record_in_order(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    results = post_many(
        api,
        records(
            ("Account", {"Name": "A"}),
            ("Contact", {"FirstName": "x"}),
            ("Lead", {"LastName": "L", "Company": "C"}),
        ),
        all_or_none=False,
    )
    assert [r["success"] for r in results] == [True, False, True], results
    assert results[0]["id"].startswith("001") and results[2]["id"].startswith("00Q"), results
    assert results[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [LastName]",
                "fields": ["LastName"],
            }
        ],
    }, results[1]
    assert len(sf_org.control.records("Account")) == 1
    assert sf_org.control.records("Contact") == []


def test_all_or_none_failure_rolls_everything_back_without_a_trace(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    before = {name: sf_org.control.records(name) for name in ("Account", "Contact")}
    results = post_many(
        api,
        records(("Account", {"Name": "A"}), ("Contact", {"LastName": "ok"}), ("Contact", {})),
        all_or_none=True,
    )
    assert [r["success"] for r in results] == [False, False, False], results
    assert results[0]["errors"] == [ROLLED_BACK] and results[1]["errors"] == [ROLLED_BACK]
    assert results[2]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING", results[2]
    after = {name: sf_org.control.records(name) for name in ("Account", "Contact")}
    assert after == before, after
    later = post_many(api, records(("Account", {"Name": "B"})), all_or_none=True)
    assert later[0]["success"] is True, later


def test_update_many_changes_records_and_reports_bad_ids(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = post_many(
        api, records(("Contact", {"LastName": "A"}), ("Account", {"Name": "B"})), False
    )
    contact_id, account_id = created[0]["id"], created[1]["id"]
    response = api.patch(
        "/composite/sobjects",
        json={
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Contact"}, "id": contact_id, "Title": "CTO"},
                {"attributes": {"type": "Contact"}, "id": account_id, "Title": "x"},
                {"attributes": {"type": "Contact"}, "Title": "no id"},
            ],
        },
    )
    results = response.json()
    assert results[0] == {"id": contact_id, "success": True, "errors": []}, results
    assert results[1] == {
        "id": account_id,
        "success": False,
        "errors": [
            {
                "statusCode": "MALFORMED_ID",
                "message": f"Contact ID: id value of incorrect type: {account_id}",
                "fields": ["Id"],
            }
        ],
    }, results[1]
    assert results[2]["errors"][0]["statusCode"] == "MISSING_ARGUMENT", results[2]
    assert api.get(f"/sobjects/Contact/{contact_id}").json()["Title"] == "CTO"


def test_upsert_many_reports_created_per_record(sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Contact", "App_Id__c", type="string", external_id=True, unique=True)
    api = sf_org.api("user@test.org")
    first = api.patch(
        "/composite/sobjects/Contact/App_Id__c",
        json={"records": records(("Contact", {"App_Id__c": "a1", "LastName": "A"}))},
    ).json()
    assert first[0]["created"] is True and first[0]["success"] is True, first
    again = api.patch(
        "/composite/sobjects/Contact/App_Id__c",
        json={
            "allOrNone": False,
            "records": records(
                ("Contact", {"App_Id__c": "a1", "Title": "x"}),
                ("Contact", {"App_Id__c": "a2", "LastName": "B"}),
                ("Contact", {"App_Id__c": "a3", "OwnerId": "INVALID_OWNER", "LastName": "C"}),
            ),
        },
    ).json()
    assert [(r["success"], r.get("created")) for r in again[:2]] == [(True, False), (True, True)]
    assert again[0]["id"] == first[0]["id"], again
    assert again[2]["errors"][0]["statusCode"] == "MALFORMED_ID", again[2]


def test_delete_many_by_ids(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = post_many(
        api, records(("Contact", {"LastName": "A"}), ("Account", {"Name": "B"})), False
    )
    ids = [r["id"] for r in created]
    response = api.delete("/composite/sobjects", params={"ids": ",".join([*ids, "garbage"])})
    results = response.json()
    assert [r["success"] for r in results] == [True, True, False], results
    assert results[2]["errors"][0]["statusCode"] == "MALFORMED_ID", results[2]
    again = api.delete("/composite/sobjects", params={"ids": ids[0]}).json()
    assert again[0]["errors"][0]["statusCode"] == "ENTITY_IS_DELETED", again


def test_delete_many_all_or_none_keeps_every_record(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = post_many(api, records(("Contact", {"LastName": "A"})), False)
    response = api.delete(
        "/composite/sobjects",
        params={"ids": f"{created[0]['id']},003000000000000AAA", "allOrNone": "true"},
    )
    results = response.json()
    assert results[0]["errors"] == [ROLLED_BACK], results
    assert api.get(f"/sobjects/Contact/{created[0]['id']}").status_code == 200


def test_retrieve_many_returns_null_for_missing_ids(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = post_many(api, records(("Contact", {"LastName": "A"})), False)
    record_id = created[0]["id"]
    for response in (
        api.get(
            "/composite/sobjects/Contact",
            params={"ids": f"{record_id},003000000000000AAA", "fields": "LastName"},
        ),
        api.post(
            "/composite/sobjects/Contact",
            json={"ids": [record_id, "003000000000000AAA"], "fields": ["LastName"]},
        ),
    ):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body[1] is None and body[0]["LastName"] == "A", body
        assert body[0]["attributes"]["type"] == "Contact", body


@pytest.mark.parametrize("count", [201])
def test_more_than_200_records_is_refused(sf_org: OrgHandle, count: int) -> None:
    items = records(*[("Contact", {"LastName": str(n)}) for n in range(count)])
    response = sf_org.api("user@test.org").post("/composite/sobjects", json={"records": items})
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "EXCEEDED_ID_LIMIT", response.text


def test_record_without_a_type_is_refused_alone(sf_org: OrgHandle) -> None:
    results = post_many(
        sf_org.api("user@test.org"),
        [{"LastName": "untyped"}, *records(("Contact", {"LastName": "typed"}))],
        all_or_none=False,
    )
    assert results[0]["errors"][0]["statusCode"] == "INVALID_TYPE", results
    assert results[1]["success"] is True, results


def test_collections_enforce_permissions_per_record(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("viewer@test.org", profile="Read Only")
    results = post_many(
        sf_org.api("viewer@test.org"), records(("Contact", {"LastName": "x"})), False
    )
    assert results[0]["errors"][0]["statusCode"] == "INSUFFICIENT_ACCESS_OR_READONLY", results


def test_collection_call_is_one_journal_entry_with_every_id(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    created = post_many(
        api, records(("Contact", {"LastName": "A"}), ("Contact", {"LastName": "B"})), False
    )
    entries = sf_org.control.journal(operation="create_many")
    assert [e["record_ids"] for e in entries] == [[r["id"] for r in created]], entries
