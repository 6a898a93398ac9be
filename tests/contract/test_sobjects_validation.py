"""Validation of write bodies: fields, types, lengths, picklists, lookups, uniqueness."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def create(api: requests.Session, sobject: str, fields: dict[str, Any]) -> requests.Response:
    return api.post(f"/sobjects/{sobject}", json=fields)


def test_unknown_field_is_invalid_field_with_salesforce_message(sf_org: OrgHandle) -> None:
    response = create(sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "Foo__c": 1})
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "INVALID_FIELD"), response.text
    assert message == "No such column 'Foo__c' on sobject of type Contact", message


@pytest.mark.parametrize(
    ("sobject", "fields", "missing"),
    [
        ("Contact", {"FirstName": "x"}, ["LastName"]),
        ("Lead", {"FirstName": "x"}, ["LastName", "Company"]),
        ("Account", {"Phone": "1"}, ["Name"]),
        ("Opportunity", {"Amount": 1}, ["Name", "StageName", "CloseDate"]),
    ],
)
def test_missing_required_fields_are_listed(
    sf_org: OrgHandle, sobject: str, fields: dict[str, Any], missing: list[str]
) -> None:
    response = create(sf_org.api("admin@test.org"), sobject, fields)
    status, code, message, names = error_of(response)
    assert (status, code, names) == (400, "REQUIRED_FIELD_MISSING", missing), response.text
    assert message == f"Required fields are missing: [{', '.join(missing)}]", message


def test_clearing_a_required_field_on_update_is_required_field_missing(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"}).json()["id"]
    response = api.patch(f"/sobjects/Contact/{record_id}", json={"LastName": None})
    assert error_of(response)[1:] == (
        "REQUIRED_FIELD_MISSING",
        "Required fields are missing: [LastName]",
        ["LastName"],
    ), response.text


def test_value_too_long_is_string_too_long(sf_org: OrgHandle) -> None:
    response = create(sf_org.api("admin@test.org"), "Contact", {"LastName": "x" * 81})
    status, code, message, fields = error_of(response)
    assert (status, code, fields) == (400, "STRING_TOO_LONG", ["LastName"]), response.text
    assert (
        message.startswith("Last Name: data value too large: xxx") and "(max length=80)" in message
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("NumberOfEmployees", "many"), ("HasOptedOutOfEmail", "maybe"), ("Birthdate", "tomorrow")],
)
def test_value_of_the_wrong_type_is_json_parser_error(
    sf_org: OrgHandle, field: str, value: Any
) -> None:
    sobject = "Account" if field == "NumberOfEmployees" else "Contact"
    body = {"Name" if sobject == "Account" else "LastName": "x", field: value}
    response = create(sf_org.api("admin@test.org"), sobject, body)
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "JSON_PARSER_ERROR"), response.text
    assert message.startswith("Cannot deserialize instance of"), message
    assert f"value {value}" in message, message


def test_invalid_email_is_refused(sf_org: OrgHandle) -> None:
    response = create(sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "Email": "nope"})
    assert error_of(response) == (
        400,
        "INVALID_EMAIL_ADDRESS",
        "Email: invalid email address: nope",
        ["Email"],
    ), response.text


def test_unrestricted_picklist_accepts_an_unknown_value(sf_org: OrgHandle) -> None:
    response = create(
        sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "LeadSource": "Podcast"}
    )
    assert response.status_code == 201, response.text


def test_restricted_picklist_setting_refuses_an_unknown_value(sf_org: OrgHandle) -> None:
    sf_org.control.settings(restricted_picklists=["Contact.LeadSource"])
    api = sf_org.api("admin@test.org")
    refused = create(api, "Contact", {"LastName": "x", "LeadSource": "Podcast"})
    assert error_of(refused) == (
        400,
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "Lead Source: bad value for restricted picklist field: Podcast",
        ["LeadSource"],
    ), refused.text
    assert create(api, "Contact", {"LastName": "x", "LeadSource": "Web"}).status_code == 201


def test_restricted_custom_picklist_refuses_an_unknown_value(sf_org: OrgHandle) -> None:
    sf_org.control.add_field(
        "Contact", "Tier__c", type="picklist", values=["Gold", "Silver"], restricted=True
    )
    response = create(sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "Tier__c": "Tin"})
    assert error_of(response)[1] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", response.text


def test_duplicate_on_a_unique_field_is_duplicate_value(sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Account", "Code__c", type="string", unique=True, external_id=True)
    api = sf_org.api("admin@test.org")
    first = create(api, "Account", {"Name": "A", "Code__c": "X1"}).json()["id"]
    response = create(api, "Account", {"Name": "B", "Code__c": "x1"})
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "DUPLICATE_VALUE"), response.text
    assert message == (
        f"duplicate value found: Code__c duplicates value on record with id: {first[:15]}"
    ), message


def test_lookup_with_garbage_is_malformed_id(sf_org: OrgHandle) -> None:
    response = create(
        sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "AccountId": "garbage"}
    )
    assert error_of(response) == (
        400,
        "MALFORMED_ID",
        "Account ID: id value of incorrect type: garbage",
        ["AccountId"],
    ), response.text


def test_lookup_to_the_wrong_object_is_field_integrity_exception(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    user_id = sf_org.users["user@test.org"]
    response = create(api, "Contact", {"LastName": "x", "AccountId": user_id})
    assert error_of(response) == (
        400,
        "FIELD_INTEGRITY_EXCEPTION",
        f"Account ID: id value of incorrect type: {user_id}",
        ["AccountId"],
    ), response.text


def test_lookup_to_an_unknown_record_is_invalid_cross_reference_key(sf_org: OrgHandle) -> None:
    response = create(
        sf_org.api("admin@test.org"),
        "Contact",
        {"LastName": "x", "AccountId": "001000000000000AAA"},
    )
    assert error_of(response)[:2] == (400, "INVALID_CROSS_REFERENCE_KEY"), response.text


def test_lookup_to_a_deleted_record_is_entity_is_deleted_400(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    account_id = create(api, "Account", {"Name": "A"}).json()["id"]
    api.delete(f"/sobjects/Account/{account_id}")
    response = create(api, "Contact", {"LastName": "x", "AccountId": account_id})
    assert error_of(response) == (400, "ENTITY_IS_DELETED", "entity is deleted", ["AccountId"])


def test_failed_create_leaves_no_row(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    create(api, "Contact", {"LastName": "x", "AccountId": "garbage"})
    assert sf_org.control.records("Contact") == [], "a refused create left a row"


def test_empty_string_clears_text_and_lookup_fields(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    account_id = create(api, "Account", {"Name": "A"}).json()["id"]
    record_id = create(api, "Contact", {"LastName": "x", "AccountId": account_id, "Title": "t"})
    contact = record_id.json()["id"]
    response = api.patch(f"/sobjects/Contact/{contact}", json={"AccountId": "", "Title": ""})
    assert response.status_code == 204, response.text
    record = api.get(f"/sobjects/Contact/{contact}").json()
    assert (record["AccountId"], record["Title"]) == (None, None), record


def test_foreign_key_through_a_field_that_is_not_an_external_id_is_invalid_field(
    sf_org: OrgHandle,
) -> None:
    response = create(
        sf_org.api("admin@test.org"), "Contact", {"LastName": "x", "Account": {"Name": "A"}}
    )
    assert error_of(response)[:2] == (400, "INVALID_FIELD"), response.text
