"""What the caller may not read does not exist; sharing filters rows everywhere they are read."""

from __future__ import annotations

import pytest

from mock_salesforce import org_admin
from mock_salesforce.soql.errors import InvalidField, InvalidType
from tests.unit.soql.conftest import Dataset


def _private(dataset: Dataset, *objects: str) -> None:
    for name in objects:
        org_admin.set_org_setting(dataset.store, f"sharing:{name}", "Private")


def _names(records: list[dict[str, object]], key: str = "Name") -> list[object]:
    return [record[key] for record in records]


def test_query_private_sharing_keeps_only_owned_rows(dataset: Dataset) -> None:
    _private(dataset, "Account")
    rep = dataset.caller("rep").query("SELECT Name FROM Account ORDER BY Name")
    admin = dataset.caller("admin").query("SELECT Name FROM Account ORDER BY Name")
    assert _names(rep.records) == ["Globex"], f"rep saw {rep.records}"
    assert _names(admin.records) == ["Acme", "Globex", "Initech"], f"admin saw {admin.records}"


def test_query_public_sharing_shows_every_row(dataset: Dataset) -> None:
    rep = dataset.caller("rep").query("SELECT COUNT() FROM Account")
    assert rep.total_size == 3, f"rep counted {rep.total_size}"


def test_query_count_respects_sharing(dataset: Dataset) -> None:
    _private(dataset, "Contact")
    rep = dataset.caller("rep").query("SELECT COUNT() FROM Contact")
    assert rep.total_size == 1, f"rep counted {rep.total_size}"


def test_query_invisible_parent_is_null(dataset: Dataset) -> None:
    _private(dataset, "Account")
    result = dataset.caller("rep").query(
        "SELECT LastName, Account.Name FROM Contact WHERE Email != null ORDER BY LastName"
    )
    parents = {r["LastName"]: r["Account"] and r["Account"]["Name"] for r in result.records}
    assert parents == {"Jones": None, "O'Hara": "Globex", "Smith": None}, f"{result.records}"


def test_query_child_subquery_respects_sharing(dataset: Dataset) -> None:
    _private(dataset, "Contact")
    result = dataset.caller("rep").query(
        "SELECT Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name"
    )
    children = {r["Name"]: r["Contacts"] and r["Contacts"]["totalSize"] for r in result.records}
    assert children == {"Acme": None, "Globex": 1, "Initech": None}, f"{result.records}"


def test_query_semi_join_respects_sharing(dataset: Dataset) -> None:
    _private(dataset, "Contact")
    result = dataset.caller("rep").query(
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"
    )
    assert _names(result.records) == ["Globex"], f"{result.records}"


def test_query_aggregate_respects_sharing(dataset: Dataset) -> None:
    _private(dataset, "Opportunity")
    result = dataset.caller("rep").query("SELECT SUM(Amount) FROM Opportunity")
    assert result.records[0]["expr0"] == 300.0, f"{result.records}"


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Account",
        "SELECT COUNT() FROM Contact",
        "SELECT Id FROM PermissionSet",
        "SELECT Id FROM ObjectPermissions",
    ],
)
def test_query_unreadable_object_is_invalid_type(dataset: Dataset, soql: str) -> None:
    sobject = soql.rsplit(" ", 1)[1]
    with pytest.raises(InvalidType, match=f"^sObject type '{sobject}' is not supported"):
        dataset.caller("int").query(soql)


def test_query_users_are_readable_by_every_user(dataset: Dataset) -> None:
    result = dataset.caller("int").query(
        f"SELECT Username, Profile.Name FROM User WHERE Id = '{dataset.ids['int']}'"
    )
    profile = result.records[0]["Profile"]["Name"]
    assert profile == "Minimum Access - API Only Integrations", f"{result.records}"


def _hide_contact_email(dataset: Dataset) -> None:
    ps_id = org_admin.profile_permission_set(dataset.store, "Standard User")
    org_admin.set_field_permission(dataset.store, ps_id, "Contact", "Email", "none")


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Email FROM Contact",
        "SELECT Id FROM Contact WHERE Email = 'x@y.z'",
        "SELECT Id FROM Contact ORDER BY email",
        "SELECT Account.Name, (SELECT Email FROM Contacts) FROM Account",
        "SELECT COUNT(Email) FROM Contact",
    ],
)
def test_query_unreadable_field_is_no_such_column(dataset: Dataset, soql: str) -> None:
    _hide_contact_email(dataset)
    with pytest.raises(InvalidField, match=r"^No such column '(E|e)mail' on entity 'Contact'"):
        dataset.caller("rep").query(soql)


def test_query_fields_all_leaves_out_unreadable_fields(dataset: Dataset) -> None:
    _hide_contact_email(dataset)
    rep = dataset.caller("rep").query("SELECT FIELDS(ALL) FROM Contact LIMIT 1")
    admin = dataset.caller("admin").query("SELECT FIELDS(ALL) FROM Contact LIMIT 1")
    assert "Email" not in rep.records[0], f"rep got {sorted(rep.records[0])}"
    assert "Email" in admin.records[0], f"admin got {sorted(admin.records[0])}"


def test_query_unreadable_lookup_hides_relationship(dataset: Dataset) -> None:
    ps_id = org_admin.profile_permission_set(dataset.store, "Standard User")
    org_admin.set_field_permission(dataset.store, ps_id, "Contact", "AccountId", "none")
    with pytest.raises(InvalidField, match=r"^Didn't understand relationship 'Account'"):
        dataset.caller("rep").query("SELECT Account.Name FROM Contact")


def test_query_self_check_object_permissions(dataset: Dataset) -> None:
    rep = dataset.ids["rep"]
    result = dataset.caller("admin").query(
        "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, "
        "PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords "
        "FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM "
        f"PermissionSetAssignment WHERE AssigneeId = '{rep}') "
        "AND SobjectType IN ('Contact','Lead','Account','Task','Event') ORDER BY SobjectType"
    )
    rows = {
        r["SobjectType"]: (r["PermissionsRead"], r["PermissionsModifyAllRecords"])
        for r in result.records
    }
    expected = {name: (True, False) for name in ("Account", "Contact", "Event", "Lead", "Task")}
    assert rows == expected, f"{result.records}"


def test_query_self_check_field_and_system_permissions(dataset: Dataset) -> None:
    rep = dataset.ids["rep"]
    assignments = f"SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{rep}'"
    fields = dataset.caller("admin").query(
        "SELECT SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions "
        f"WHERE ParentId IN ({assignments}) AND SobjectType = 'Contact' AND Field = 'Contact.Email'"
    )
    system = dataset.caller("admin").query(
        "SELECT PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsModifyAllData, "
        f"PermissionsViewAllData FROM PermissionSet WHERE Id IN ({assignments})"
    )
    assert [(r["PermissionsRead"], r["PermissionsEdit"]) for r in fields.records] == [
        (True, True)
    ], f"{fields.records}"
    flags = [(r["PermissionsApiEnabled"], r["PermissionsModifyAllData"]) for r in system.records]
    assert flags == [(True, False)], f"{system.records}"
