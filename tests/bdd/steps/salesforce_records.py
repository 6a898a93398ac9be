"""What Salesforce holds: records, owners and creators"""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, then, when

from ..drivers.salesforce import ADMIN_USER, SalesforceOrg
from ..phrase import phrase


def _field(record: dict[str, Any], field: str) -> Any:
    assert field in record, f"{field} not among {sorted(record)}"
    return record[field]


@given(phrase('Salesforce has a {sobject} "{name}" owned by "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, username: str) -> None:
    """A record that already exists in Salesforce (created by its owner).

    Example: Given Salesforce has a Contact "Hank Scorpio" owned by "bob@acme.test"
    """
    values: dict[str, Any] = {"OwnerId": username, "CreatedById": username}
    if sobject in ("Contact", "Lead"):
        first, _, last = name.rpartition(" ")
        values.update(FirstName=first or None, LastName=last)
        if sobject == "Lead":
            values["Company"] = "Unknown"
    else:
        values["Name"] = name
    salesforce.seed(sobject, values)


@given(phrase("Salesforce has these {sobject} records:"))
def _(salesforce: SalesforceOrg, sobject: str, datatable: list[list[str]]) -> None:
    """Records already in Salesforce, one per row; columns are field names (OwnerId by username).

    Example: Given Salesforce has these Contact records: (then | LastName | Email | OwnerId | rows)
    """
    header, *rows = datatable
    for row in rows:
        salesforce.seed(sobject, {k: v for k, v in zip(header, row, strict=True) if v != ""})


@then(phrase('the Salesforce {sobject} "{name}" is owned by "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, username: str) -> None:
    """The record's OwnerId, by username.

    Example: Then the Salesforce Contact "Jane Doe" is owned by "alice@acme.test"
    """
    owner = salesforce.username(_field(salesforce.record_named(sobject, name), "OwnerId"))
    assert owner == username, f"{sobject} {name!r} is owned by {owner}, expected {username}"


@then(phrase('the Salesforce {sobject} "{name}" was created by "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, username: str) -> None:
    """The record's CreatedById, by username.

    Example: Then the Salesforce Contact "Jane Doe" was created by "int@acme.test"
    """
    creator = salesforce.username(_field(salesforce.record_named(sobject, name), "CreatedById"))
    assert creator == username, f"{sobject} {name!r} was created by {creator}, expected {username}"


@then(phrase('the Salesforce {sobject} "{name}" was last modified by "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, username: str) -> None:
    """The record's LastModifiedById, by username.

    Example: Then the Salesforce Contact "Jane Doe" was last modified by "alice@acme.test"
    """
    record = salesforce.record_named(sobject, name)
    modifier = salesforce.username(_field(record, "LastModifiedById"))
    assert modifier == username, (
        f"{sobject} {name!r} was last modified by {modifier}, expected {username}"
    )


@then(phrase('the Salesforce {sobject} "{name}" has {field} "{value}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, field: str, value: str) -> None:
    """A field value of a record (empty quotes mean no value).

    Example: Then the Salesforce Task "Call: intro" has TaskSubtype "Call"
    """
    seen = _field(salesforce.record_named(sobject, name), field)
    shown = None if seen is None else str(seen).lower() if isinstance(seen, bool) else str(seen)
    assert shown == (value or None), f"{sobject} {name!r} has {field} {seen!r}, expected {value!r}"


@then(phrase('the Salesforce {sobject} "{name}" is related to {relation} "{other}"'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, relation: str, other: str) -> None:
    """A lookup (WhoId, WhatId, AccountId) points at the named record.

    Example: Then the Salesforce Task "Email: hello" is related to WhoId "Jane Doe"
    """
    target = _field(salesforce.record_named(sobject, name), relation)
    names = {
        r["Id"]: r.get("Name")
        for obj in ("Contact", "Lead", "Account")
        for r in salesforce.records(obj)
    }
    assert names.get(target) == other, f"{relation} is {target} ({names.get(target)})"


@then(phrase('the Salesforce {sobject} "{name}" has no {field}'))
def _(salesforce: SalesforceOrg, sobject: str, name: str, field: str) -> None:
    """A field of a record is empty.

    Example: Then the Salesforce Contact "Jane Doe" has no Title
    """
    seen = _field(salesforce.record_named(sobject, name), field)
    assert seen is None, f"{sobject} {name!r} has {field} {seen!r}"


@then(phrase('Salesforce has {count:d} {sobject} named "{name}"'))
def _(salesforce: SalesforceOrg, count: int, sobject: str, name: str) -> None:
    """How many live records carry that name (duplicates show here).

    Example: Then Salesforce has 1 Contact named "Jane Doe"
    """
    key = "Subject" if sobject in ("Task", "Event") else "Name"
    found = [r for r in salesforce.records(sobject) if r.get(key) == name]
    assert len(found) == count, f"Salesforce has {len(found)} {sobject} named {name!r}"


@then(phrase("Salesforce has no {sobject} records"))
def _(salesforce: SalesforceOrg, sobject: str) -> None:
    """Nothing of that object was written.

    Example: Then Salesforce has no Task records
    """
    names = [r.get("Name") or r.get("Subject") for r in salesforce.records(sobject)]
    assert names == [], f"Salesforce has {sobject} records: {names}"


@given(phrase('an admin makes "{username}" the owner of {sobject} "{name}" in Salesforce'))
@when(phrase('an admin makes "{username}" the owner of {sobject} "{name}" in Salesforce'))
def _(salesforce: SalesforceOrg, username: str, sobject: str, name: str) -> None:
    """A Salesforce admin reassigns a record through the API (an owner change on that side).

    Example: When an admin makes "alice@acme.test" the owner of Contact "Hank Scorpio" in Salesforce
    """
    record = salesforce.record_named(sobject, name)
    response = salesforce.api(ADMIN_USER).patch(
        f"/sobjects/{sobject}/{record['Id']}", json={"OwnerId": salesforce.user_id(username)}
    )
    assert response.status_code == 204, response.text


@then(phrase('the Salesforce Contact "{name}" belongs to the Account "{account}" created on {day}'))
def _(salesforce: SalesforceOrg, name: str, account: str, day: str) -> None:
    """Which of several same-named accounts a contact was linked to.

    Example: Then the Salesforce Contact "Kim Deal" belongs to the Account "Pixies" created on 2019-06-01
    """
    contact = salesforce.record_named("Contact", name)
    accounts = {r["Id"]: r for r in salesforce.records("Account") if r["Name"] == account}
    linked = accounts.get(contact["AccountId"])
    assert linked is not None, f"AccountId {contact['AccountId']} is not an Account {account!r}"
    assert linked["CreatedDate"].startswith(day), linked["CreatedDate"]
