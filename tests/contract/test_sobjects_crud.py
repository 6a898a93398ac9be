"""Single-record create, retrieve, update and delete over HTTP (REST API Developer Guide, "sObject
Rows")."""

from __future__ import annotations

import re
from typing import Any

import requests

from mock_salesforce import ids
from mock_salesforce.pytest_plugin import OrgHandle

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def create(api: requests.Session, sobject: str, fields: dict[str, Any]) -> str:
    response = api.post(f"/sobjects/{sobject}", json=fields)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_create_answers_201_with_an_18_char_id_of_the_object(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post("/sobjects/Contact", json={"LastName": "Doe"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["success"] is True and body["errors"] == [], body
    assert len(body["id"]) == 18 and body["id"].startswith("003"), body
    assert ids.is_valid(body["id"]), body
    assert response.headers["Location"].endswith(body["id"]), response.headers


def test_retrieve_returns_every_readable_field_with_attributes_and_nulls(
    sf_org: OrgHandle,
) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe", "FirstName": "Jane"})
    response = api.get(f"/sobjects/Contact/{record_id}")
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v59.0/sobjects/Contact/{record_id}",
    }, record
    assert record["Name"] == "Jane Doe", record
    assert "Email" in record and record["Email"] is None, record
    assert record["IsDeleted"] is False, record
    for name in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        assert DATETIME.match(record[name]), f"{name} = {record[name]}"
    assert "Last-Modified" in response.headers and "ETag" in response.headers, response.headers


def test_retrieve_url_carries_the_api_version_of_the_request(sf_org: OrgHandle) -> None:
    record_id = create(sf_org.api("admin@test.org"), "Account", {"Name": "Acme"})
    record = sf_org.api("admin@test.org", version="62.0").get(f"/sobjects/Account/{record_id}")
    assert record.json()["attributes"]["url"].startswith("/services/data/v62.0/"), record.text


def test_retrieve_fields_parameter_restricts_the_fields(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    record = api.get(f"/sobjects/Contact/{record_id}", params={"fields": "lastname,OwnerId"}).json()
    assert list(record) == ["attributes", "LastName", "OwnerId", "Id"], record


def test_retrieve_fields_parameter_with_unknown_field_is_invalid_field(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    response = api.get(f"/sobjects/Contact/{record_id}", params={"fields": "Nope__c"})
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "INVALID_FIELD"), response.text
    assert message.startswith("No such column 'Nope__c' on entity 'Contact'"), message


def test_field_names_are_case_insensitive_and_output_is_canonical(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "contact", {"lastname": "Doe", "EMAIL": "doe@example.com"})
    record = api.get(f"/sobjects/CONTACT/{record_id}").json()
    assert record["LastName"] == "Doe" and record["Email"] == "doe@example.com", record
    assert record["attributes"]["type"] == "Contact", record


def test_update_answers_204_and_changes_only_the_fields_sent(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe", "Title": "CEO", "Phone": "1"})
    response = api.patch(f"/sobjects/Contact/{record_id}", json={"Title": "CTO", "Phone": None})
    assert response.status_code == 204 and response.content == b"", response.text
    record = api.get(f"/sobjects/Contact/{record_id}").json()
    assert (record["Title"], record["Phone"], record["LastName"]) == ("CTO", None, "Doe"), record


def test_update_stamps_last_modified_by_the_token_user(sf_org: OrgHandle) -> None:
    admin = sf_org.api("admin@test.org")
    record_id = create(admin, "Contact", {"LastName": "Doe"})
    sf_org.control.advance_clock(minutes=5)
    response = sf_org.api("user@test.org").patch(
        f"/sobjects/Contact/{record_id}", json={"Title": "x"}
    )
    assert response.status_code == 204, response.text
    record = admin.get(f"/sobjects/Contact/{record_id}").json()
    assert record["CreatedById"] == sf_org.users["admin@test.org"], record
    assert record["LastModifiedById"] == sf_org.users["user@test.org"], record
    assert record["LastModifiedDate"] > record["CreatedDate"], record
    assert record["SystemModstamp"] == record["LastModifiedDate"], record


def test_delete_answers_204_then_entity_is_deleted(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    first = api.delete(f"/sobjects/Contact/{record_id}")
    assert first.status_code == 204 and first.content == b"", first.text
    for response in (
        api.delete(f"/sobjects/Contact/{record_id}"),
        api.get(f"/sobjects/Contact/{record_id}"),
    ):
        status, code, message, _ = error_of(response)
        assert (status, code, message) == (404, "ENTITY_IS_DELETED", "entity is deleted"), (
            response.text
        )


def test_deleted_record_keeps_its_row_with_is_deleted(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    api.delete(f"/sobjects/Contact/{record_id}")
    rows = {r["Id"]: r for r in sf_org.control.records("Contact")}
    assert rows[record_id]["IsDeleted"] is True, rows[record_id]


def test_unknown_object_is_not_found(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post("/sobjects/Widget__c", json={"Name": "x"})
    status, code, message, _ = error_of(response)
    assert (status, code, message) == (404, "NOT_FOUND", "The requested resource does not exist")


def test_unknown_well_formed_id_is_not_found(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").get("/sobjects/Contact/003000000000000AAA")
    assert error_of(response)[:2] == (404, "NOT_FOUND"), response.text


def test_malformed_id_is_read_as_an_external_id_lookup(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").get("/sobjects/Contact/23foo")
    status, code, message, _ = error_of(response)
    assert (status, code) == (404, "NOT_FOUND"), response.text
    assert message == "Provided external ID field does not exist or is not accessible: 23foo"


def test_id_of_another_object_is_malformed_id_on_write(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    contact_id = create(api, "Contact", {"LastName": "Doe"})
    for response in (
        api.patch(f"/sobjects/Account/{contact_id}", json={"Name": "x"}),
        api.delete(f"/sobjects/Account/{contact_id}"),
    ):
        status, code, message, fields = error_of(response)
        assert (status, code, fields) == (400, "MALFORMED_ID", ["Id"]), response.text
        assert message == f"Account ID: id value of incorrect type: {contact_id}", message


def test_id_of_another_object_is_not_found_on_read(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    contact_id = create(api, "Contact", {"LastName": "Doe"})
    assert error_of(api.get(f"/sobjects/Account/{contact_id}"))[:2] == (404, "NOT_FOUND")


def test_fifteen_char_id_in_url_reaches_the_record(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    response = api.get(f"/sobjects/Contact/{record_id[:15]}")
    assert response.status_code == 200 and response.json()["Id"] == record_id, response.text


def test_malformed_json_is_json_parser_error(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Contact", data="{LastName: 'x'}", headers={"Content-Type": "application/json"}
    )
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "JSON_PARSER_ERROR"), response.text
    assert message.startswith("Unexpected character ('L' (code 76))"), message
    assert "[line:1, column:2]" in message, message


def test_missing_body_is_json_parser_error(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post("/sobjects/Contact")
    status, code, message, _ = error_of(response)
    assert (status, code) == (400, "JSON_PARSER_ERROR"), response.text
    assert message == "The HTTP entity body is required, but this request has no entity body."


def test_array_body_for_one_record_is_json_parser_error(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post("/sobjects/Contact", json=[{"LastName": "x"}])
    assert error_of(response)[:2] == (400, "JSON_PARSER_ERROR"), response.text


def test_attributes_in_the_body_are_ignored(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Contact", json={"attributes": {"type": "Contact"}, "LastName": "Doe"}
    )
    assert response.status_code == 201, response.text


def test_id_in_a_create_body_is_refused(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Contact", json={"Id": "003000000000000AAA", "LastName": "Doe"}
    )
    assert error_of(response)[:2] == (400, "INVALID_FIELD_FOR_INSERT_UPDATE"), response.text


def test_if_modified_since_on_an_unchanged_record_is_304(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    first = api.get(f"/sobjects/Contact/{record_id}")
    stamp = first.headers["Last-Modified"]
    again = api.get(f"/sobjects/Contact/{record_id}", headers={"If-Modified-Since": stamp})
    assert again.status_code == 304 and again.content == b"", again.text
    sf_org.control.advance_clock(minutes=1)
    api.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"})
    changed = api.get(f"/sobjects/Contact/{record_id}", headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200, changed.text


def test_every_record_call_is_in_the_journal(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    api.get(f"/sobjects/Contact/{record_id}")
    api.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"})
    api.delete(f"/sobjects/Contact/{record_id}")
    entries = sf_org.control.journal(record_id=record_id)
    seen = [(e["operation"], e["sobject"], e["status"], e["username"]) for e in entries]
    assert seen == [
        ("create_record", "Contact", 201, "admin@test.org"),
        ("retrieve_record", "Contact", 200, "admin@test.org"),
        ("update_record", "Contact", 204, "admin@test.org"),
        ("delete_record", "Contact", 204, "admin@test.org"),
    ], seen


def test_failed_call_is_in_the_journal_with_its_error_code(sf_org: OrgHandle) -> None:
    sf_org.api("user@test.org").post("/sobjects/Contact", json={"FirstName": "x"})
    entries = sf_org.control.journal(error_code="REQUIRED_FIELD_MISSING")
    assert [(e["sobject"], e["status"]) for e in entries] == [("Contact", 400)], entries


def test_if_match_with_a_stale_etag_is_precondition_failed(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T10:00:00Z")
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    stale = api.get(f"/sobjects/Contact/{record_id}").headers["ETag"]
    sf_org.control.advance_clock(minutes=1)
    api.patch(f"/sobjects/Contact/{record_id}", json={"Title": "a"})
    refused = api.delete(f"/sobjects/Contact/{record_id}", headers={"If-Match": stale})
    assert refused.status_code == 412, refused.text
    assert refused.json()[0]["errorCode"] == "PRECONDITION_FAILED", refused.text
    fresh = api.get(f"/sobjects/Contact/{record_id}").headers["ETag"]
    allowed = api.delete(f"/sobjects/Contact/{record_id}", headers={"If-Match": fresh})
    assert allowed.status_code == 204, allowed.text


def test_if_unmodified_since_before_the_last_change_is_precondition_failed(
    sf_org: OrgHandle,
) -> None:
    api = sf_org.api("admin@test.org")
    record_id = create(api, "Contact", {"LastName": "Doe"})
    stamp = api.get(f"/sobjects/Contact/{record_id}").headers["Last-Modified"]
    sf_org.control.advance_clock(minutes=1)
    api.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"})
    response = api.patch(
        f"/sobjects/Contact/{record_id}",
        json={"Title": "y"},
        headers={"If-Unmodified-Since": stamp},
    )
    assert response.status_code == 412, response.text


def test_journal_names_the_object_by_its_api_name(sf_org: OrgHandle) -> None:
    create(sf_org.api("admin@test.org"), "contact", {"LastName": "Doe"})
    entries = sf_org.control.journal(operation="create_record")
    assert [e["sobject"] for e in entries] == ["Contact"], entries
