"""Upsert and retrieve by external id (REST API Developer Guide, "Upsert a Record Using an External
ID")."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


@pytest.fixture
def ext_org(sf_org: OrgHandle) -> OrgHandle:
    sf_org.control.add_field("Contact", "App_Id__c", type="string", external_id=True, unique=True)
    sf_org.control.add_field("Contact", "Legacy_Id__c", type="string", external_id=True)
    return sf_org


def test_upsert_without_a_match_creates_201(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org")
    response = api.patch("/sobjects/Contact/App_Id__c/abc", json={"LastName": "Doe"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["success"], body["created"], body["errors"]) == (True, True, []), body
    record = api.get(f"/sobjects/Contact/{body['id']}").json()
    assert record["App_Id__c"] == "abc" and record["OwnerId"] == ext_org.users["user@test.org"]


def test_upsert_with_one_match_updates_200(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org")
    first = api.patch("/sobjects/Contact/App_Id__c/abc", json={"LastName": "Doe"}).json()
    response = api.patch("/sobjects/Contact/app_id__c/ABC", json={"Title": "CTO"})
    assert response.status_code == 200, response.text
    assert response.json() == {"id": first["id"], "success": True, "errors": [], "created": False}
    assert api.get(f"/sobjects/Contact/{first['id']}").json()["Title"] == "CTO"


def test_upsert_before_v46_answers_204_on_update_and_no_created_flag(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org", version="45.0")
    created = api.patch("/sobjects/Contact/App_Id__c/abc", json={"LastName": "Doe"})
    assert created.status_code == 201 and "created" not in created.json(), created.text
    updated = api.patch("/sobjects/Contact/App_Id__c/abc", json={"Title": "x"})
    assert updated.status_code == 204 and updated.content == b"", updated.text


def test_upsert_with_several_matches_answers_300_with_their_urls(ext_org: OrgHandle) -> None:
    ids = ext_org.control.seed_records(
        "Contact",
        [{"LastName": "A", "Legacy_Id__c": "L1"}, {"LastName": "B", "Legacy_Id__c": "L1"}],
    )
    api = ext_org.api("user@test.org")
    for response in (
        api.patch("/sobjects/Contact/Legacy_Id__c/L1", json={"Title": "x"}),
        api.get("/sobjects/Contact/Legacy_Id__c/L1"),
    ):
        assert response.status_code == 300, response.text
        assert response.json() == [f"/services/data/v59.0/sobjects/Contact/{i}" for i in ids]


def test_upsert_on_a_field_that_is_not_an_external_id_is_not_found(ext_org: OrgHandle) -> None:
    response = ext_org.api("user@test.org").patch(
        "/sobjects/Contact/Email/a@b.c", json={"LastName": "x"}
    )
    status, code, message, _ = error_of(response)
    assert (status, code) == (404, "NOT_FOUND"), response.text
    assert message == "Provided external ID field does not exist or is not accessible: Email"


def test_upsert_update_only_without_a_match_is_not_found(ext_org: OrgHandle) -> None:
    response = ext_org.api("user@test.org").patch(
        "/sobjects/Contact/App_Id__c/nope", params={"updateOnly": "true"}, json={"LastName": "x"}
    )
    assert error_of(response)[:2] == (404, "NOT_FOUND"), response.text
    assert ext_org.control.records("Contact") == []


def test_upsert_body_disagreeing_with_the_url_is_refused(ext_org: OrgHandle) -> None:
    response = ext_org.api("user@test.org").patch(
        "/sobjects/Contact/App_Id__c/abc", json={"LastName": "x", "App_Id__c": "other"}
    )
    assert error_of(response)[1::2] == ("INVALID_FIELD", ["App_Id__c"]), response.text


def test_upsert_applies_the_same_validation_as_create(ext_org: OrgHandle) -> None:
    response = ext_org.api("user@test.org").patch(
        "/sobjects/Contact/App_Id__c/abc", json={"FirstName": "x"}
    )
    assert error_of(response)[1::2] == ("REQUIRED_FIELD_MISSING", ["LastName"]), response.text


def test_retrieve_by_external_id_returns_the_record(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org")
    created = api.patch("/sobjects/Contact/App_Id__c/abc", json={"LastName": "Doe"}).json()
    response = api.get("/sobjects/Contact/App_Id__c/abc", params={"fields": "LastName"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "attributes": {
            "type": "Contact",
            "url": f"/services/data/v59.0/sobjects/Contact/{created['id']}",
        },
        "LastName": "Doe",
        "Id": created["id"],
    }
    missing = api.get("/sobjects/Contact/App_Id__c/nope")
    assert error_of(missing)[:2] == (404, "NOT_FOUND"), missing.text


def test_delete_by_external_id(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org")
    created = api.patch("/sobjects/Contact/App_Id__c/abc", json={"LastName": "Doe"}).json()
    assert api.delete("/sobjects/Contact/App_Id__c/abc").status_code == 204
    gone = api.get(f"/sobjects/Contact/{created['id']}")
    assert error_of(gone)[:2] == (404, "ENTITY_IS_DELETED"), gone.text


def test_upsert_by_id_updates_the_record(ext_org: OrgHandle) -> None:
    api = ext_org.api("user@test.org")
    record_id = api.post("/sobjects/Contact", json={"LastName": "Doe"}).json()["id"]
    response = api.patch(f"/sobjects/Contact/Id/{record_id}", json={"Title": "x"})
    assert response.status_code == 200 and response.json()["created"] is False, response.text


def test_lookup_is_set_through_the_parent_external_id(ext_org: OrgHandle) -> None:
    ext_org.control.add_field("Account", "App_Id__c", type="string", external_id=True, unique=True)
    api = ext_org.api("user@test.org")
    account = api.patch("/sobjects/Account/App_Id__c/acc-1", json={"Name": "Acme"}).json()
    response = api.patch(
        "/sobjects/Contact/App_Id__c/c-1",
        json={"LastName": "Doe", "Account": {"App_Id__c": "acc-1"}},
    )
    assert response.status_code == 201, response.text
    contact = api.get(f"/sobjects/Contact/{response.json()['id']}").json()
    assert contact["AccountId"] == account["id"], contact
    missing = api.post(
        "/sobjects/Contact", json={"LastName": "x", "Account": {"App_Id__c": "nope"}}
    )
    assert error_of(missing)[1:3] == (
        "INVALID_FIELD",
        "Foreign key external ID: nope not found for field App_Id__c in entity Account",
    ), missing.text
