"""The REST API as simple-salesforce (a real client) drives it, through the zero-network
transport (simple-salesforce always speaks https)."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
)

from mock_salesforce.pytest_plugin import OrgHandle


@pytest.fixture
def sf(sf_org: OrgHandle, sf_inprocess: requests.Session) -> Salesforce:
    return Salesforce(
        instance_url=sf_org.base_url.replace("http://", "https://"),
        session_id=sf_org.token("user@test.org"),
        version="59.0",
        session=sf_inprocess,
    )


def test_simple_salesforce_crud_round_trip(sf: Salesforce, sf_org: OrgHandle) -> None:
    contacts = sf.Contact
    created = contacts.create({"LastName": "Doe", "Email": "doe@example.com"})
    assert created["success"] is True, created
    record = contacts.get(created["id"])
    assert record["OwnerId"] == sf_org.users["user@test.org"], record
    assert contacts.update(created["id"], {"Title": "CTO"}) == 204
    assert contacts.get(created["id"])["Title"] == "CTO"
    assert contacts.delete(created["id"]) == 204
    assert contacts.api_usage["api-usage"].used > 0, contacts.api_usage


def test_simple_salesforce_sees_errors_as_its_exceptions(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Contact.create({"FirstName": "no last name"})
    assert refused.value.content[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Contact.get("003000000000000AAA")


def test_simple_salesforce_upsert_and_multiple_matches(sf: Salesforce, sf_org: OrgHandle) -> None:
    sf_org.control.add_field("Contact", "Legacy_Id__c", type="string", external_id=True)
    assert sf.Contact.upsert("Legacy_Id__c/L1", {"LastName": "A"}) == 201
    assert sf.Contact.upsert("Legacy_Id__c/L1", {"Title": "x"}) == 200
    sf_org.control.seed_records("Contact", [{"LastName": "B", "Legacy_Id__c": "L1"}])
    with pytest.raises(SalesforceMoreThanOneRecord):
        sf.Contact.get_by_custom_id("Legacy_Id__c", "L1")


def test_simple_salesforce_describe(sf: Salesforce) -> None:
    names = {o["name"] for o in sf.describe()["sobjects"]}
    assert {"Account", "Contact", "Lead", "Task", "Event"} <= names, names
    fields = {f["name"] for f in sf.Lead.describe()["fields"]}
    assert {"LastName", "Company", "OwnerId"} <= fields, fields
