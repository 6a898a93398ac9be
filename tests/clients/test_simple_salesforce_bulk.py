"""simple-salesforce (unmodified) drives both Bulk APIs of the mock over HTTPS: ``sf.bulk2``
(Bulk API 2.0) and ``sf.bulk`` (Bulk API 1.0), as its users call them."""

from __future__ import annotations

import csv
import io

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceOperationError

from mock_salesforce.pytest_plugin import OrgHandle


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_bulk2_insert_update_upsert_delete(sf: Salesforce, https_org: OrgHandle) -> None:
    https_org.control.add_field("Account", "Ext__c", type="string", external_id=True)
    records = [{"Name": f"Bulk {n}", "Ext__c": f"e{n}"} for n in range(3)] + [{"Name": ""}]
    inserted = sf.bulk2.Account.insert(records=records, wait=0)
    assert inserted[0]["numberRecordsProcessed"] == 4, inserted
    assert inserted[0]["numberRecordsFailed"] == 1, inserted
    job_id = inserted[0]["job_id"]
    ok = csv_rows(sf.bulk2.Account.get_successful_records(job_id))
    failed = csv_rows(sf.bulk2.Account.get_failed_records(job_id))
    assert [r["Name"] for r in ok] == ["Bulk 0", "Bulk 1", "Bulk 2"], ok
    assert failed[0]["sf__Error"].startswith("REQUIRED_FIELD_MISSING"), failed
    unprocessed = sf.bulk2.Account.get_unprocessed_records(job_id)
    assert sorted(unprocessed.strip().split(",")) == ["Ext__c", "Name"], unprocessed
    ids = [r["sf__Id"] for r in ok]

    updated = sf.bulk2.Account.update(records=[{"Id": ids[0], "Phone": "555"}], wait=0)
    assert updated[0]["numberRecordsFailed"] == 0, updated
    upserted = sf.bulk2.Account.upsert(
        records=[{"Ext__c": "e1", "Name": "Renamed"}, {"Ext__c": "e9", "Name": "New"}],
        external_id_field="Ext__c",
        wait=0,
    )
    assert upserted[0]["numberRecordsProcessed"] == 2, upserted
    deleted = sf.bulk2.Account.delete(records=[{"Id": ids[2]}], wait=0)
    assert deleted[0]["numberRecordsFailed"] == 0, deleted
    live = {r["Name"]: r for r in https_org.control.records("Account", include_deleted=False)}
    assert sorted(live) == ["Bulk 0", "New", "Renamed"], sorted(live)
    assert live["Bulk 0"]["Phone"] == "555", live["Bulk 0"]
    assert live["New"]["OwnerId"] == https_org.users["user@test.org"], live["New"]


def test_bulk2_query_pages_through_locators(sf: Salesforce) -> None:
    sf.bulk2.Account.insert(records=[{"Name": f"Q{n}"} for n in range(5)], wait=0)
    pages = list(
        sf.bulk2.Account.query("SELECT Name FROM Account ORDER BY Name", max_records=2, wait=0)
    )
    assert len(pages) == 3, pages
    names = [row["Name"] for page in pages for row in csv_rows(str(page))]
    assert names == [f"Q{n}" for n in range(5)], names
    everything = list(sf.bulk2.Account.query_all("SELECT Id FROM Account", wait=0))
    assert len(csv_rows(str(everything[0]))) == 5, everything


def test_bulk2_failed_job_raises_with_its_message(sf: Salesforce) -> None:
    with pytest.raises(SalesforceOperationError, match="Field name not found : Nope__c"):
        sf.bulk2.Account.insert(records=[{"Name": "x", "Nope__c": "y"}], wait=0)


def test_bulk1_insert_update_upsert_delete(sf: Salesforce, https_org: OrgHandle) -> None:
    https_org.control.add_field("Contact", "Ext__c", type="string", external_id=True)
    created = sf.bulk.Contact.insert([{"LastName": "One"}, {"LastName": "Two"}, {"FirstName": "x"}])
    assert [r["success"] for r in created] == [True, True, False], created
    assert created[2]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING", created
    first, second = created[0]["id"], created[1]["id"]
    updated = sf.bulk.Contact.update([{"Id": first, "Title": "CTO"}])
    assert updated[0]["success"] is True, updated
    upserted = sf.bulk.Contact.upsert([{"Ext__c": "c1", "LastName": "Three"}], "Ext__c")
    assert upserted[0]["created"] is True, upserted
    deleted = sf.bulk.Contact.delete([{"Id": second}])
    assert deleted[0]["success"] is True, deleted
    live = {r["LastName"]: r for r in https_org.control.records("Contact", include_deleted=False)}
    assert sorted(live) == ["One", "Three"], sorted(live)
    assert live["One"]["Title"] == "CTO", live["One"]


def test_bulk1_query_returns_records_with_attributes(sf: Salesforce) -> None:
    sf.bulk.Account.insert([{"Name": "Acme"}, {"Name": "Globex"}])
    rows = sf.bulk.Account.query("SELECT Id, Name, CreatedDate FROM Account ORDER BY Name")
    assert [r["Name"] for r in rows] == ["Acme", "Globex"], rows
    assert rows[0]["attributes"]["type"] == "Account", rows[0]
    assert isinstance(rows[0]["CreatedDate"], int), rows[0]
    sf.bulk.Account.delete([{"Id": rows[0]["Id"]}])
    every = sf.bulk.Account.query_all("SELECT Id, IsDeleted FROM Account")
    assert sorted(r["IsDeleted"] for r in every) == [False, True], every
