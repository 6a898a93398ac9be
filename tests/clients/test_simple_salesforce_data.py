"""simple-salesforce (unmodified) drives the data API and SOQL of the mock over HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from mock_salesforce.pytest_plugin import OrgHandle


def create_many(sf: Salesforce, sobject: str, records: list[dict[str, Any]]) -> list[str]:
    """Create records through sObject Collections, 200 at a time; their ids in order."""
    ids: list[str] = []
    for start in range(0, len(records), 200):
        chunk = [{"attributes": {"type": sobject}, **r} for r in records[start : start + 200]]
        results = sf.restful(
            "composite/sobjects", method="POST", json={"allOrNone": True, "records": chunk}
        )
        assert isinstance(results, list) and all(r["success"] for r in results), results
        ids += [r["id"] for r in results]
    return ids


def test_create_get_update_delete(sf: Salesforce, https_org: OrgHandle) -> None:
    contacts = sf.Contact  # one SFType: it keeps the api usage of its last response
    created = contacts.create({"LastName": "Doe", "Email": "doe@example.com"})
    assert created["success"] is True and len(created["id"]) == 18, created
    record = contacts.get(created["id"])
    assert record["attributes"]["type"] == "Contact", record
    assert record["OwnerId"] == https_org.users["user@test.org"], record
    assert contacts.update(created["id"], {"Title": "CTO"}) == 204
    assert contacts.get(created["id"])["Title"] == "CTO"
    assert contacts.delete(created["id"]) == 204
    assert contacts.api_usage["api-usage"].used > 0, contacts.api_usage
    with pytest.raises(SalesforceResourceNotFound) as gone:
        contacts.get(created["id"])
    assert gone.value.content[0]["errorCode"] == "ENTITY_IS_DELETED", gone.value.content


def test_upsert_and_get_by_external_id(sf: Salesforce, https_org: OrgHandle) -> None:
    https_org.control.add_field("Contact", "Legacy_Id__c", type="string", external_id=True)
    assert sf.Contact.upsert("Legacy_Id__c/L-1", {"LastName": "First"}) == 201
    assert sf.Contact.upsert("Legacy_Id__c/L-1", {"Title": "Updated"}) == 200
    found = sf.Contact.get_by_custom_id("Legacy_Id__c", "L-1")
    assert (found["LastName"], found["Title"]) == ("First", "Updated"), found


def test_upsert_with_several_matches_raises_more_than_one_record(
    sf: Salesforce, https_org: OrgHandle
) -> None:
    https_org.control.add_field("Contact", "Legacy_Id__c", type="string", external_id=True)
    https_org.control.seed_records(
        "Contact",
        [{"LastName": "A", "Legacy_Id__c": "dup"}, {"LastName": "B", "Legacy_Id__c": "dup"}],
        as_user="user@test.org",
    )
    with pytest.raises(SalesforceMoreThanOneRecord) as several:
        sf.Contact.upsert("Legacy_Id__c/dup", {"Title": "x"})
    urls = several.value.content
    assert len(urls) == 2 and all("/sobjects/Contact/003" in u for u in urls), urls


def test_query_where_order_by_and_owner_name(sf: Salesforce, https_org: OrgHandle) -> None:
    for name in ("Charlie", "Alpha", "Bravo"):
        sf.Contact.create({"LastName": name, "Title": "Buyer"})
    sf.Contact.create({"LastName": "Zulu", "Title": "Other"})
    result = sf.query(
        "SELECT Id, LastName, Owner.Name FROM Contact WHERE Title = 'Buyer' ORDER BY LastName"
    )
    assert result["totalSize"] == 3 and result["done"] is True, result
    records = result["records"]
    assert [r["LastName"] for r in records] == ["Alpha", "Bravo", "Charlie"], records
    assert records[0]["Owner"]["Name"] == "Uma User", records[0]
    assert records[0]["Owner"]["attributes"]["type"] == "User", records[0]


def test_query_all_follows_next_records_url_past_2000_rows(sf: Salesforce) -> None:
    ids = create_many(sf, "Contact", [{"LastName": f"Bulk {i:04d}"} for i in range(2150)])
    first = sf.query("SELECT Id FROM Contact")
    assert (first["totalSize"], first["done"], len(first["records"])) == (2150, False, 2000)
    assert first["nextRecordsUrl"].startswith("/services/data/v"), first["nextRecordsUrl"]
    everything = sf.query_all("SELECT Id, LastName FROM Contact ORDER BY LastName")
    assert everything["totalSize"] == 2150 and everything["done"] is True
    assert sorted(r["Id"] for r in everything["records"]) == sorted(ids)


def test_query_all_includes_deleted_rows(sf: Salesforce) -> None:
    kept, deleted = (sf.Contact.create({"LastName": n})["id"] for n in ("Kept", "Deleted"))
    sf.Contact.delete(deleted)
    live = sf.query_all("SELECT Id FROM Contact")
    assert [r["Id"] for r in live["records"]] == [kept], live
    every = sf.query_all("SELECT Id, IsDeleted FROM Contact", include_deleted=True)
    assert {r["Id"]: r["IsDeleted"] for r in every["records"]} == {kept: False, deleted: True}


def test_describe_and_describe_global(sf: Salesforce) -> None:
    described = sf.describe()
    assert described is not None
    names = {o["name"] for o in described["sobjects"]}
    assert {"Account", "Contact", "Lead", "Task", "Event"} <= names, names
    lead = sf.Lead.describe()
    fields = {f["name"]: f for f in lead["fields"]}
    assert {"LastName", "Company", "OwnerId"} <= fields.keys(), sorted(fields)
    assert fields["OwnerId"]["referenceTo"] == ["Group", "User"], fields["OwnerId"]
    assert sf.Lead.metadata()["objectDescribe"]["keyPrefix"] == "00Q"


def test_limits(sf: Salesforce, https_org: OrgHandle, trusting_session: requests.Session) -> None:
    admin = Salesforce(
        instance_url=https_org.base_url,
        session_id=https_org.token("admin@test.org"),
        session=trusting_session,
    )
    daily = admin.limits()["DailyApiRequests"]
    assert daily["Max"] > daily["Remaining"] >= 0, daily
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.limits()  # a Standard User has no "View Setup and Configuration"
    assert refused.value.content[0]["errorCode"] == "API_DISABLED_FOR_ORG", refused.value.content


def test_bad_field_raises_malformed_request(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Contact.create({"LastName": "Doe", "Nope__c": 1})
    error = refused.value.content[0]
    assert error["errorCode"] == "INVALID_FIELD", error
    assert "Nope__c" in error["message"], error
    with pytest.raises(SalesforceMalformedRequest) as bad_query:
        sf.query("SELECT Nope__c FROM Contact")
    assert bad_query.value.content[0]["errorCode"] == "INVALID_FIELD", bad_query.value.content


def test_unknown_record_and_object_raise_resource_not_found(sf: Salesforce) -> None:
    with pytest.raises(SalesforceResourceNotFound) as missing:
        sf.Contact.get("003000000000000AAA")
    assert missing.value.content[0]["errorCode"] == "NOT_FOUND", missing.value.content
    with pytest.raises(SalesforceResourceNotFound):
        sf.Widget__c.describe()


def test_exhausted_daily_allocation_raises_refused_request(
    sf: Salesforce, https_org: OrgHandle
) -> None:
    sf.describe()
    https_org.control.settings(api_daily_limit=1)
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.describe()
    error = refused.value.content[0]
    assert error == {
        "message": "TotalRequests Limit exceeded.",
        "errorCode": "REQUEST_LIMIT_EXCEEDED",
    }, error
