"""Audit fields, OwnerId rules, transfers and the lead assignment rule (SOAP API Developer Guide,
"System Fields"; docs/rest-api.md, "Ownership")."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def read(sf_org: OrgHandle, sobject: str, record_id: str) -> dict[str, Any]:
    response = sf_org.api("admin@test.org").get(f"/sobjects/{sobject}/{record_id}")
    assert response.status_code == 200, response.text
    record: dict[str, Any] = response.json()
    return record


def test_create_stamps_the_token_user_as_creator_and_owner(sf_org: OrgHandle) -> None:
    user_id = sf_org.users["user@test.org"]
    record_id = sf_org.api("user@test.org").post("/sobjects/Contact", json={"LastName": "x"})
    record = read(sf_org, "Contact", record_id.json()["id"])
    stamped = (record["OwnerId"], record["CreatedById"], record["LastModifiedById"])
    assert stamped == (user_id, user_id, user_id), record


def test_audit_fields_follow_the_mock_clock(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-20T20:49:32Z")
    response = sf_org.api("user@test.org").post("/sobjects/Contact", json={"LastName": "x"})
    record = read(sf_org, "Contact", response.json()["id"])
    for name in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        assert record[name] == "2024-05-20T20:49:32.000+0000", (name, record[name])


def test_setting_audit_fields_needs_set_audit_fields(sf_org: OrgHandle) -> None:
    admin_id = sf_org.users["admin@test.org"]
    body = {"LastName": "x", "CreatedById": admin_id, "CreatedDate": "2020-01-02T03:04:05Z"}
    response = sf_org.api("user@test.org").post("/sobjects/Contact", json=body)
    assert error_of(response)[1::2] == (
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        ["CreatedById", "CreatedDate"],
    ), response.text
    sf_org.control.create_permission_set(
        "Audit", user_permissions=["CreateAuditFields"], assign_to=["user@test.org"]
    )
    allowed = sf_org.api("user@test.org").post("/sobjects/Contact", json=body)
    assert allowed.status_code == 201, allowed.text
    record = read(sf_org, "Contact", allowed.json()["id"])
    assert record["CreatedById"] == admin_id, record
    assert record["CreatedDate"] == "2020-01-02T03:04:05.000+0000", record
    assert record["LastModifiedById"] == sf_org.users["user@test.org"], record


def test_audit_fields_are_never_updateable(sf_org: OrgHandle) -> None:
    sf_org.control.create_permission_set(
        "Audit", user_permissions=["CreateAuditFields"], assign_to=["user@test.org"]
    )
    api = sf_org.api("user@test.org")
    record_id = api.post("/sobjects/Contact", json={"LastName": "x"}).json()["id"]
    response = api.patch(
        f"/sobjects/Contact/{record_id}", json={"CreatedById": sf_org.users["admin@test.org"]}
    )
    assert error_of(response)[1::2] == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["CreatedById"])


def test_explicit_active_owner_is_kept(sf_org: OrgHandle) -> None:
    user_id = sf_org.users["user@test.org"]
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Contact", json={"LastName": "x", "OwnerId": user_id}
    )
    record = read(sf_org, "Contact", response.json()["id"])
    assert (record["OwnerId"], record["CreatedById"]) == (
        user_id,
        sf_org.users["admin@test.org"],
    ), record


def test_inactive_owner_is_refused_unless_permitted(sf_org: OrgHandle) -> None:
    gone = sf_org.control.create_user("gone@test.org", profile="Standard User")["id"]
    sf_org.control.update_user("gone@test.org", active=False)
    api = sf_org.api("user@test.org")
    response = api.post("/sobjects/Lead", json={"LastName": "x", "Company": "c", "OwnerId": gone})
    assert error_of(response) == (
        400,
        "INACTIVE_OWNER_OR_USER",
        f"operation performed with inactive user [{gone[:15]}] as owner of lead",
        [],
    ), response.text
    sf_org.control.create_permission_set(
        "Inactive", user_permissions=["UpdateWithInactiveOwner"], assign_to=["user@test.org"]
    )
    allowed = sf_org.api("user@test.org").post(
        "/sobjects/Lead", json={"LastName": "x", "Company": "c", "OwnerId": gone}
    )
    assert allowed.status_code == 201, allowed.text


@pytest.mark.parametrize(
    ("owner", "code"),
    [
        ("INVALID_OWNER", "MALFORMED_ID"),
        ("001000000000000AAA", "FIELD_INTEGRITY_EXCEPTION"),
        ("005000000000000AAA", "INVALID_CROSS_REFERENCE_KEY"),
    ],
)
def test_bad_owner_ids_earn_their_error(sf_org: OrgHandle, owner: str, code: str) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Contact", json={"LastName": "x", "OwnerId": owner}
    )
    status, seen, message, fields = error_of(response)
    assert (status, seen, fields) == (400, code, ["OwnerId"]), response.text
    if code != "INVALID_CROSS_REFERENCE_KEY":
        assert message == f"Owner ID: id value of incorrect type: {owner}", message


def test_changing_the_owner_needs_transfer_rights(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("other@test.org", profile="Standard User")
    admin_contact = sf_org.api("admin@test.org").post("/sobjects/Contact", json={"LastName": "x"})
    record_id = admin_contact.json()["id"]
    other_id = sf_org.users.get("other@test.org") or sf_org.control.user("other@test.org")["id"]
    api = sf_org.api("user@test.org")
    response = api.patch(f"/sobjects/Contact/{record_id}", json={"OwnerId": other_id})
    assert error_of(response)[:2] == (400, "INSUFFICIENT_ACCESS_OR_READONLY"), response.text
    sf_org.control.create_permission_set(
        "Transfer", user_permissions=["TransferAnyEntity"], assign_to=["user@test.org"]
    )
    moved = sf_org.api("user@test.org").patch(
        f"/sobjects/Contact/{record_id}", json={"OwnerId": other_id}
    )
    assert moved.status_code == 204, moved.text
    assert read(sf_org, "Contact", record_id)["OwnerId"] == other_id


def test_owner_may_give_away_their_own_record(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    record_id = api.post("/sobjects/Contact", json={"LastName": "x"}).json()["id"]
    admin_id = sf_org.users["admin@test.org"]
    response = api.patch(f"/sobjects/Contact/{record_id}", json={"OwnerId": admin_id})
    assert response.status_code == 204, response.text


def test_lead_assignment_rule_overrides_the_owner_unless_auto_assign_is_false(
    sf_org: OrgHandle,
) -> None:
    sf_org.control.settings(lead_assignment_owner="admin@test.org")
    api = sf_org.api("user@test.org")
    user_id, admin_id = sf_org.users["user@test.org"], sf_org.users["admin@test.org"]
    lead = {"LastName": "x", "Company": "c", "OwnerId": user_id}
    assigned = api.post("/sobjects/Lead", json=lead)
    assert read(sf_org, "Lead", assigned.json()["id"])["OwnerId"] == admin_id
    kept = api.post("/sobjects/Lead", json=lead, headers={"Sforce-Auto-Assign": "FALSE"})
    assert read(sf_org, "Lead", kept.json()["id"])["OwnerId"] == user_id
    contact = api.post("/sobjects/Contact", json={"LastName": "x"})
    assert read(sf_org, "Contact", contact.json()["id"])["OwnerId"] == user_id


def test_without_assignment_rule_the_lead_owner_is_the_caller(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").post(
        "/sobjects/Lead", json={"LastName": "x", "Company": "c"}
    )
    record = read(sf_org, "Lead", response.json()["id"])
    assert record["OwnerId"] == sf_org.users["user@test.org"], record
    assert record["Status"] == "Open - Not Contacted", record
