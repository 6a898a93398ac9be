"""Object permissions, field-level security and sharing, each with a user who may and one who
may not (Salesforce Help, "Object Permissions")."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def new_user(sf_org: OrgHandle, username: str, profile: str, **profile_spec: Any) -> str:
    """A user on a fresh profile cloned from ``profile`` with ``profile_spec`` applied."""
    name = f"{username} profile"
    sf_org.control.create_profile(name, base=profile, **profile_spec)
    return str(sf_org.control.create_user(username, profile=name)["id"])


def contact_of(api: requests.Session, **fields: Any) -> str:
    response = api.post("/sobjects/Contact", json={"LastName": "Doe", **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


# -- object permissions ----------------------------------------------------------------------
def test_object_without_read_is_not_found_for_that_user_only(sf_org: OrgHandle) -> None:
    new_user(sf_org, "nocontact@test.org", "Standard User", objects={"Contact": "none"})
    record_id = contact_of(sf_org.api("admin@test.org"))
    denied = sf_org.api("nocontact@test.org")
    for response in (
        denied.get(f"/sobjects/Contact/{record_id}"),
        denied.post("/sobjects/Contact", json={"LastName": "x"}),
        denied.get("/sobjects/Contact/describe"),
    ):
        assert error_of(response)[:2] == (404, "NOT_FOUND"), response.text
    allowed = sf_org.api("user@test.org").get(f"/sobjects/Contact/{record_id}")
    assert allowed.status_code == 200, allowed.text


@pytest.mark.parametrize(
    ("grant", "action"),
    [("Read", "create"), ("Read", "edit"), ("Read, Create, Edit", "delete")],
)
def test_missing_object_permission_is_insufficient_access(
    sf_org: OrgHandle, grant: str, action: str
) -> None:
    new_user(sf_org, "limited@test.org", "Standard User", objects={"Contact": grant})
    limited = sf_org.api("limited@test.org")
    record_id = (
        contact_of(limited) if action == "delete" else contact_of(sf_org.api("admin@test.org"))
    )
    response = {
        "create": lambda: limited.post("/sobjects/Contact", json={"LastName": "x"}),
        "edit": lambda: limited.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"}),
        "delete": lambda: limited.delete(f"/sobjects/Contact/{record_id}"),
    }[action]()
    assert error_of(response) == (
        400,
        "INSUFFICIENT_ACCESS_OR_READONLY",
        "insufficient access rights on object id",
        [],
    ), response.text


def test_read_only_profile_reads_but_cannot_write(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("viewer@test.org", profile="Read Only")
    record_id = contact_of(sf_org.api("admin@test.org"))
    viewer = sf_org.api("viewer@test.org")
    assert viewer.get(f"/sobjects/Contact/{record_id}").status_code == 200
    response = viewer.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"})
    assert error_of(response)[:2] == (400, "INSUFFICIENT_ACCESS_OR_READONLY"), response.text


def test_setup_objects_are_not_writable_through_the_data_api(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post("/sobjects/User", json={"LastName": "x"})
    assert error_of(response)[1:3] == (
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
        "entity type cannot be inserted: User",
    ), response.text


def test_users_are_readable_by_everyone(sf_org: OrgHandle) -> None:
    admin_id = sf_org.users["admin@test.org"]
    record = sf_org.api("user@test.org").get(f"/sobjects/User/{admin_id}")
    assert record.status_code == 200 and record.json()["Username"] == "admin@test.org"


# -- field-level security --------------------------------------------------------------------
def test_hidden_field_is_absent_from_reads(sf_org: OrgHandle) -> None:
    new_user(sf_org, "notitle@test.org", "Standard User", fields={"Contact.Title": "none"})
    record_id = contact_of(sf_org.api("admin@test.org"), Title="CEO")
    hidden = sf_org.api("notitle@test.org").get(f"/sobjects/Contact/{record_id}").json()
    assert "Title" not in hidden and "LastName" in hidden, hidden
    shown = sf_org.api("user@test.org").get(f"/sobjects/Contact/{record_id}").json()
    assert shown["Title"] == "CEO", shown


def test_writing_a_hidden_field_is_invalid_field(sf_org: OrgHandle) -> None:
    new_user(sf_org, "notitle@test.org", "Standard User", fields={"Contact.Title": "none"})
    response = sf_org.api("notitle@test.org").post(
        "/sobjects/Contact", json={"LastName": "x", "Title": "CEO"}
    )
    assert error_of(response)[1:3] == (
        "INVALID_FIELD",
        "No such column 'Title' on sobject of type Contact",
    ), response.text


def test_writing_a_read_only_field_is_invalid_field_for_insert_update(sf_org: OrgHandle) -> None:
    new_user(sf_org, "rotitle@test.org", "Standard User", fields={"Contact.Title": "read"})
    api = sf_org.api("rotitle@test.org")
    response = api.post("/sobjects/Contact", json={"LastName": "x", "Title": "CEO"})
    assert error_of(response) == (
        400,
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        "Unable to create/update fields: Title. Please check the security settings of this "
        "field and verify that it is read/write for your profile or permission set.",
        ["Title"],
    ), response.text
    assert api.post("/sobjects/Contact", json={"LastName": "x"}).status_code == 201


def test_writing_a_system_field_is_invalid_field_for_insert_update(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    record_id = contact_of(api)
    response = api.patch(f"/sobjects/Contact/{record_id}", json={"Name": "x", "IsDeleted": True})
    assert error_of(response)[1::2] == (
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        ["Name", "IsDeleted"],
    ), response.text


def test_required_fields_are_always_readable_and_editable(sf_org: OrgHandle) -> None:
    new_user(sf_org, "nofields@test.org", "Standard User", fields={"Contact.*": "none"})
    api = sf_org.api("nofields@test.org")
    record_id = contact_of(api)
    record = api.get(f"/sobjects/Contact/{record_id}").json()
    assert record["LastName"] == "Doe" and "Email" not in record, record


# -- sharing ---------------------------------------------------------------------------------
def test_private_records_of_others_are_not_found(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Contact": "Private"})
    sf_org.control.create_user("other@test.org", profile="Standard User")
    record_id = contact_of(sf_org.api("user@test.org"))
    other = sf_org.api("other@test.org")
    for response in (
        other.get(f"/sobjects/Contact/{record_id}"),
        other.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"}),
        other.delete(f"/sobjects/Contact/{record_id}"),
    ):
        assert error_of(response)[:2] == (404, "NOT_FOUND"), response.text
    assert sf_org.api("user@test.org").get(f"/sobjects/Contact/{record_id}").status_code == 200


def test_view_all_sees_private_records_of_others(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Contact": "Private"})
    sf_org.control.create_user("auditor@test.org", profile="Standard User")
    sf_org.control.create_permission_set(
        "SeeContacts", objects={"Contact": "Read, ViewAllRecords"}, assign_to=["auditor@test.org"]
    )
    record_id = contact_of(sf_org.api("user@test.org"))
    auditor = sf_org.api("auditor@test.org")
    assert auditor.get(f"/sobjects/Contact/{record_id}").status_code == 200
    response = auditor.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"})
    assert error_of(response)[:2] == (400, "INSUFFICIENT_ACCESS_OR_READONLY"), response.text


def test_public_read_only_records_of_others_are_readable_not_editable(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Account": "Read"})
    sf_org.control.create_user("other@test.org", profile="Standard User")
    owner = sf_org.api("user@test.org")
    account_id = owner.post("/sobjects/Account", json={"Name": "A"}).json()["id"]
    other = sf_org.api("other@test.org")
    assert other.get(f"/sobjects/Account/{account_id}").status_code == 200
    response = other.patch(f"/sobjects/Account/{account_id}", json={"Name": "B"})
    assert error_of(response)[:2] == (400, "INSUFFICIENT_ACCESS_OR_READONLY"), response.text
    assert owner.patch(f"/sobjects/Account/{account_id}", json={"Name": "B"}).status_code == 204


def test_public_read_write_lets_others_edit_but_only_the_owner_delete(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("other@test.org", profile="Standard User")
    record_id = contact_of(sf_org.api("user@test.org"))
    other = sf_org.api("other@test.org")
    assert other.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"}).status_code == 204
    response = other.delete(f"/sobjects/Contact/{record_id}")
    assert error_of(response)[:2] == (400, "INSUFFICIENT_ACCESS_OR_READONLY"), response.text
    assert sf_org.api("admin@test.org").delete(f"/sobjects/Contact/{record_id}").status_code == 204


def test_reference_to_a_record_the_user_cannot_see_is_cross_reference_error(
    sf_org: OrgHandle,
) -> None:
    sf_org.control.settings(**{"sharing:Account": "Private"})
    sf_org.control.create_user("other@test.org", profile="Standard User")
    account_id = (
        sf_org.api("user@test.org").post("/sobjects/Account", json={"Name": "A"}).json()["id"]
    )
    other = sf_org.api("other@test.org")
    for sobject, fields in (
        ("Contact", {"LastName": "x", "AccountId": account_id}),
        ("Task", {"Subject": "x", "WhatId": account_id}),
    ):
        response = other.post(f"/sobjects/{sobject}", json=fields)
        status, code, message, _ = error_of(response)
        assert (status, code) == (400, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"), (
            response.text
        )
        assert message == f"insufficient access rights on cross-reference id: {account_id[:15]}"
    allowed = sf_org.api("user@test.org").post(
        "/sobjects/Contact", json={"LastName": "x", "AccountId": account_id}
    )
    assert allowed.status_code == 201, allowed.text


def test_user_without_api_enabled_is_api_currently_disabled(sf_org: OrgHandle) -> None:
    new_user(sf_org, "noapi@test.org", "Standard User", user_permissions={"ApiEnabled": False})
    response = sf_org.api("noapi@test.org").get("/sobjects")
    assert response.status_code == 403, response.text
    assert response.json() == [
        {"message": "API is disabled for this User", "errorCode": "API_CURRENTLY_DISABLED"}
    ]


def test_modify_all_edits_and_deletes_private_records_of_others(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Contact": "Private"})
    sf_org.control.create_user("manager@test.org", profile="Standard User")
    sf_org.control.create_user("peer@test.org", profile="Standard User")
    sf_org.control.create_permission_set(
        "ManageContacts", objects={"Contact": "ModifyAllRecords"}, assign_to=["manager@test.org"]
    )
    record_id = contact_of(sf_org.api("user@test.org"))
    peer = sf_org.api("peer@test.org")
    assert error_of(peer.delete(f"/sobjects/Contact/{record_id}"))[:2] == (404, "NOT_FOUND")
    manager = sf_org.api("manager@test.org")
    assert manager.patch(f"/sobjects/Contact/{record_id}", json={"Title": "x"}).status_code == 204
    assert manager.delete(f"/sobjects/Contact/{record_id}").status_code == 204
