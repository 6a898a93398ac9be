"""Describe global and sObject describe, as each user sees them (REST API Developer Guide, "sObject
Describe")."""

from __future__ import annotations

from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def fields_of(api: requests.Session, sobject: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/sobjects/{sobject}/describe")
    assert response.status_code == 200, response.text
    return {f["name"]: f for f in response.json()["fields"]}


def test_describe_global_lists_objects_with_flags_per_user(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("viewer@test.org", profile="Read Only")
    admin = sf_org.api("admin@test.org").get("/sobjects").json()
    viewer = sf_org.api("viewer@test.org").get("/sobjects").json()
    assert (admin["encoding"], admin["maxBatchSize"]) == ("UTF-8", 200), admin
    admin_contact = next(o for o in admin["sobjects"] if o["name"] == "Contact")
    viewer_contact = next(o for o in viewer["sobjects"] if o["name"] == "Contact")
    assert admin_contact["createable"] and admin_contact["deletable"], admin_contact
    assert not viewer_contact["createable"] and not viewer_contact["updateable"], viewer_contact
    assert viewer_contact["urls"]["describe"] == "/services/data/v59.0/sobjects/Contact/describe"


def test_describe_global_leaves_out_objects_the_user_cannot_read(sf_org: OrgHandle) -> None:
    sf_org.control.create_profile("No Leads", base="Standard User", objects={"Lead": "none"})
    sf_org.control.create_user("noleads@test.org", profile="No Leads")
    names = {o["name"] for o in sf_org.api("noleads@test.org").get("/sobjects").json()["sobjects"]}
    assert "Lead" not in names and "Contact" in names, sorted(names)
    assert "PermissionSet" not in names, "setup objects need View Setup"
    admin = {o["name"] for o in sf_org.api("admin@test.org").get("/sobjects").json()["sobjects"]}
    assert {"Lead", "PermissionSet", "User"} <= admin, sorted(admin)


def test_describe_hides_fields_without_read_and_locks_read_only_ones(sf_org: OrgHandle) -> None:
    sf_org.control.create_profile(
        "Restricted",
        base="Standard User",
        fields={"Contact.Title": "none", "Contact.Email": "read"},
    )
    sf_org.control.create_user("restricted@test.org", profile="Restricted")
    fields = fields_of(sf_org.api("restricted@test.org"), "Contact")
    assert "Title" not in fields, sorted(fields)
    assert (fields["Email"]["createable"], fields["Email"]["updateable"]) == (False, False)
    assert fields["Phone"]["createable"] and fields["Phone"]["updateable"], fields["Phone"]
    assert fields_of(sf_org.api("user@test.org"), "Contact")["Email"]["createable"] is True


def test_describe_marks_system_fields_and_required_fields(sf_org: OrgHandle) -> None:
    fields = fields_of(sf_org.api("admin@test.org"), "Contact")
    owner, created_by = fields["OwnerId"], fields["CreatedById"]
    assert (owner["createable"], owner["updateable"], owner["defaultedOnCreate"]) == (
        True,
        True,
        True,
    ), owner
    assert owner["nillable"] is False and owner["relationshipName"] == "Owner", owner
    assert (created_by["createable"], created_by["updateable"]) == (False, False), created_by
    required = [
        name
        for name, f in fields.items()
        if f["createable"] and not f["nillable"] and not f["defaultedOnCreate"]
    ]
    assert required == ["LastName"], required
    assert fields["Id"]["soapType"] == "tns:ID" and fields["Id"]["type"] == "id"


def test_describe_shows_audit_fields_createable_with_set_audit_fields(sf_org: OrgHandle) -> None:
    sf_org.control.create_permission_set(
        "Audit", user_permissions=["CreateAuditFields"], assign_to=["user@test.org"]
    )
    fields = fields_of(sf_org.api("user@test.org"), "Contact")
    created = fields["CreatedDate"]
    assert (created["createable"], created["updateable"]) == (True, False), created
    assert fields["SystemModstamp"]["createable"] is False


def test_describe_has_children_record_types_and_urls(sf_org: OrgHandle) -> None:
    body = sf_org.api("admin@test.org").get("/sobjects/Account/describe").json()
    children = {
        (c["childSObject"], c["field"], c["relationshipName"]) for c in body["childRelationships"]
    }
    assert ("Contact", "AccountId", "Contacts") in children, children
    assert body["recordTypeInfos"][0]["recordTypeId"] == "012000000000000AAA", body
    assert body["urls"]["rowTemplate"] == "/services/data/v59.0/sobjects/Account/{ID}"
    picklist = next(f for f in body["fields"] if f["name"] == "Industry")
    assert {
        "active": True,
        "defaultValue": False,
        "label": "Banking",
        "validFor": None,
        "value": "Banking",
    } in picklist["picklistValues"], picklist


def test_describe_if_modified_since_is_304_until_the_schema_changes(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    first = api.get("/sobjects/Contact/describe")
    stamp = first.headers["Last-Modified"]
    again = api.get("/sobjects/Contact/describe", headers={"If-Modified-Since": stamp})
    assert again.status_code == 304 and again.content == b"", again.text
    sf_org.control.advance_clock(minutes=1)
    sf_org.control.add_field("Contact", "Score__c", type="double")
    changed = api.get("/sobjects/Contact/describe", headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200, changed.text
    assert "Score__c" in {f["name"] for f in changed.json()["fields"]}


def test_sobject_basic_info_has_the_object_summary(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").get("/sobjects/Lead")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["objectDescribe"]["keyPrefix"] == "00Q" and body["recentItems"] == [], body


def test_describe_of_an_unknown_object_is_not_found(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").get("/sobjects/Widget/describe")
    assert error_of(response)[:3] == (404, "NOT_FOUND", "The requested resource does not exist")


def test_describe_global_if_modified_since_is_304(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    stamp = api.get("/sobjects").headers["Last-Modified"]
    again = api.get("/sobjects", headers={"If-Modified-Since": stamp})
    assert again.status_code == 304, again.text
