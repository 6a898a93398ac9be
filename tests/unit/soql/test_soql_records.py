"""Record shapes, ids, relationships and the queries the integration core runs."""

from __future__ import annotations

import pytest

from mock_salesforce import org_admin
from mock_salesforce.soql import engine, shapes
from tests.unit.soql.conftest import Dataset, names, strip


def test_query_accepts_15_character_ids(dataset: Dataset) -> None:
    acme = dataset.ids["acme"]
    result = dataset.caller("admin").query(
        f"SELECT Name FROM Account WHERE Id IN ('{acme[:15]}', '{dataset.ids['globex']}') "
        "ORDER BY Name"
    )
    assert strip(result.records) == names("Acme", "Globex"), f"{result.records}"


def test_query_polymorphic_parent_reports_its_real_type(dataset: Dataset) -> None:
    result = dataset.caller("admin").query("SELECT Who.Id, Who.Name FROM Task ORDER BY Subject")
    seen = [(r["Who"]["attributes"]["type"], r["Who"]["Id"]) for r in result.records]
    assert seen == [("Contact", dataset.ids["alice"]), ("Lead", dataset.ids["lee"])], f"{seen}"


def test_query_grandchildren_nest_under_children(dataset: Dataset) -> None:
    result = dataset.caller("admin").query(
        "SELECT Name, (SELECT LastName, (SELECT Subject FROM Tasks) FROM Contacts "
        "WHERE LastName = 'Smith') FROM Account WHERE Name = 'Acme'"
    )
    contacts = strip(result.records)[0]["Contacts"]["records"]
    tasks = contacts[0]["Tasks"]
    assert tasks == {"totalSize": 1, "done": True, "records": [{"Subject": "Call Alice"}]}, (
        f"{contacts}"
    )


def test_query_record_attributes_name_type_and_url(dataset: Dataset) -> None:
    result = dataset.caller("admin").query(
        "SELECT Account.Name FROM Contact WHERE LastName = 'Smith'", version="61.0"
    )
    record = result.records[0]
    assert record["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v61.0/sobjects/Contact/{dataset.ids['alice']}",
    }, f"{record}"
    assert record["Account"]["attributes"]["url"].endswith(f"/Account/{dataset.ids['acme']}")


def test_query_incremental_pull_by_modstamp(dataset: Dataset) -> None:
    result = dataset.caller("admin").query(
        "SELECT Id, LastName, Email, SystemModstamp, AccountId FROM Contact "
        "WHERE SystemModstamp >= 2024-05-15T12:00:00Z AND (Email != null) "
        "ORDER BY SystemModstamp, Id"
    )
    ids = [record["Id"] for record in result.records]
    assert ids == sorted(ids) and len(ids) == 3, f"{ids}"
    stamps = {record["SystemModstamp"] for record in result.records}
    assert stamps == {"2024-05-15T12:00:00.000+0000"}, f"{stamps}"


def test_query_finds_duplicate_emails(dataset: Dataset) -> None:
    org_admin.seed_record(
        dataset.store,
        "Contact",
        {"LastName": "Twin", "Email": "ALICE@acme.com"},
        dataset.ids["admin"],
    )
    result = dataset.caller("admin").query(
        "SELECT Email, COUNT(Id) n FROM Contact WHERE Email != null "
        "GROUP BY Email HAVING COUNT(Id) > 1"
    )
    assert [(r["Email"].lower(), r["n"]) for r in result.records] == [("alice@acme.com", 2)], (
        f"{result.records}"
    )


@pytest.mark.parametrize(
    ("soql", "operation", "fields", "cardinality"),
    [
        ("SELECT Id FROM Contact WHERE Email = 'alice@acme.com'", "Index", ["Email"], 1),
        ("SELECT Id FROM Contact WHERE LastName LIKE '%a%'", "TableScan", [], 2),
        # Null values are left out of the index, as in Salesforce: not a selective filter.
        ("SELECT Id FROM Contact WHERE Email = null", "TableScan", [], 1),
        ("SELECT COUNT() FROM Contact", "TableScan", [], 4),
        ("SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId", "TableScan", [], 3),
    ],
)
def test_explain_reports_leading_operation(
    dataset: Dataset, soql: str, operation: str, fields: list[str], cardinality: int
) -> None:
    [plan] = engine.explain_query(dataset.caller("admin"), soql)["plans"]
    seen = (plan["leadingOperationType"], plan["fields"], plan["cardinality"])
    assert seen == (operation, fields, cardinality), f"{soql!r}: {plan}"
    assert (plan["sobjectType"], plan["sobjectCardinality"]) == ("Contact", 4), f"{plan}"


def test_query_follows_custom_relationships(dataset: Dataset) -> None:
    org_admin.add_custom_field(
        dataset.store,
        {"object": "Contact", "name": "Partner__c", "type": "reference", "reference_to": "Account"},
    )
    contact = dataset.store.schema.object("Contact")
    assert contact is not None
    dataset.store.update_row(contact, dataset.ids["dan"], {"Partner__c": dataset.ids["globex"]})
    caller = dataset.caller("admin")
    parents = caller.query("SELECT LastName, Partner__r.Name FROM Contact WHERE Partner__c != null")
    children = caller.query(
        "SELECT Name, (SELECT LastName FROM Contacts__r) FROM Account WHERE Name = 'Globex'"
    )
    assert strip(parents.records) == [{"LastName": "dan", "Partner__r": {"Name": "Globex"}}], (
        f"{parents.records}"
    )
    assert strip(children.records)[0]["Contacts__r"]["records"] == [{"LastName": "dan"}], (
        f"{children.records}"
    )


def test_parsed_statements_are_shared_by_the_process_and_bounded(dataset: Dataset) -> None:
    caller = dataset.caller("admin")
    size = shapes._parse.cache_info().maxsize
    assert size is not None, "the cache of parsed statements is bounded"
    for number in range(size + 50):
        caller.query(f"SELECT Id FROM Account LIMIT {number}")
    again = caller.query(f"SELECT Id FROM Account LIMIT {size + 49}")
    kept = shapes._parse.cache_info().currsize
    assert kept == size, f"{kept} statements kept"
    assert again.total_size == 3, f"{again.to_json()}"
    first = shapes._parse("SELECT Id FROM Account LIMIT 300")
    assert shapes._parse("SELECT Id FROM Account LIMIT 300") is first, "parsed once, then shared"
