"""SOQL over HTTP against the live server: shapes, errors, permissions and paging (REST API
Developer Guide, "Query")."""

from __future__ import annotations

from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle

ADMIN, USER = "admin@test.org", "user@test.org"


def _seed(sf_org: OrgHandle, sobject: str, *records: dict[str, Any]) -> list[str]:
    return sf_org.control.seed_records(sobject, list(records), as_user=ADMIN)


def _query(sf_org: OrgHandle, soql: str, user: str = ADMIN, **kwargs: Any) -> Any:
    response = sf_org.api(user).get("/query", params={"q": soql}, **kwargs)
    assert response.status_code == 200, f"{soql!r} -> {response.status_code} {response.text}"
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    return response.json()


def _error(sf_org: OrgHandle, soql: str | None, user: str = ADMIN) -> list[dict[str, Any]]:
    params = {} if soql is None else {"q": soql}
    response = sf_org.api(user).get("/query", params=params)
    assert response.status_code == 400, f"{soql!r} -> {response.status_code} {response.text}"
    body: list[dict[str, Any]] = response.json()
    return body


def test_query_records_carry_attributes_and_canonical_field_case(sf_org: OrgHandle) -> None:
    [account] = _seed(sf_org, "Account", {"Name": "Acme"})
    body = _query(sf_org, "select id, NAME, owner.name from account")
    assert body == {
        "totalSize": 1,
        "done": True,
        "records": [
            {
                "attributes": {
                    "type": "Account",
                    "url": f"/services/data/v59.0/sobjects/Account/{account}",
                },
                "Id": account,
                "Name": "Acme",
                "Owner": {
                    "attributes": {
                        "type": "User",
                        "url": f"/services/data/v59.0/sobjects/User/{sf_org.users[ADMIN]}",
                    },
                    "Name": "Ada Admin",
                },
            }
        ],
    }, body


def test_query_url_follows_request_version(sf_org: OrgHandle) -> None:
    _seed(sf_org, "Account", {"Name": "Acme"})
    response = sf_org.api(ADMIN, version="62.0").get(
        "/query", params={"q": "SELECT Id FROM Account"}
    )
    url = response.json()["records"][0]["attributes"]["url"]
    assert url.startswith("/services/data/v62.0/sobjects/Account/"), url


def test_query_parents_null_and_children_nested(sf_org: OrgHandle) -> None:
    [acme] = _seed(sf_org, "Account", {"Name": "Acme"})
    _seed(sf_org, "Contact", {"LastName": "Smith", "AccountId": acme}, {"LastName": "Orphan"})
    contacts = _query(sf_org, "SELECT LastName, Account.Name FROM Contact ORDER BY LastName")
    parents = {r["LastName"]: r["Account"] for r in contacts["records"]}
    assert parents["Orphan"] is None and parents["Smith"]["Name"] == "Acme", contacts
    accounts = _query(sf_org, "SELECT Name, (SELECT LastName FROM Contacts) FROM Account")
    child = accounts["records"][0]["Contacts"]
    assert (child["totalSize"], child["done"]) == (1, True), child
    assert child["records"][0]["attributes"]["type"] == "Contact", child


def test_query_count_answers_total_size(sf_org: OrgHandle) -> None:
    _seed(sf_org, "Lead", {"LastName": "A", "Company": "X"}, {"LastName": "B", "Company": "Y"})
    body = _query(sf_org, "SELECT count() FROM Lead")
    assert body == {"totalSize": 2, "done": True, "records": []}, body


def test_query_aggregate_result_rows(sf_org: OrgHandle) -> None:
    _seed(sf_org, "Lead", {"LastName": "A", "Company": "X"}, {"LastName": "B", "Company": "X"})
    body = _query(sf_org, "SELECT Company, COUNT(Id) FROM Lead GROUP BY Company")
    assert body["records"] == [
        {"attributes": {"type": "AggregateResult"}, "Company": "X", "expr0": 2}
    ], body


ERRORS = [
    (
        "SELECT Id FRM Account",
        "MALFORMED_QUERY",
        "\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'",
    ),
    (
        "SELECT Foo FROM Account",
        "INVALID_FIELD",
        "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or "
        "the describe call for the appropriate names.",
    ),
    (
        "SELECT Id FROM Widget",
        "INVALID_TYPE",
        "sObject type 'Widget' is not supported. If you are attempting to use a custom object, be "
        "sure to append the '__c' after the entity name. Please reference your WSDL or the "
        "describe call for the appropriate names.",
    ),
    (
        "SELECT Id FROM Account WHERE Id = 'abc'",
        "INVALID_QUERY_FILTER_OPERATOR",
        "invalid ID field: abc",
    ),
    (
        "SELECT Id FROM Account WHERE CreatedDate = '2024-01-01'",
        "MALFORMED_QUERY",
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should "
        "not be enclosed in quotes",
    ),
    (
        "SELECT Name, COUNT(Id) FROM Account",
        "MALFORMED_QUERY",
        "Field must be grouped or aggregated: Name",
    ),
    (
        "SELECT Id FROM Account OFFSET 2001",
        "NUMBER_OUTSIDE_VALID_RANGE",
        "Maximum SOQL offset allowed is 2000",
    ),
    (None, "MALFORMED_QUERY", "A query string has to be specified"),
]


@pytest.mark.parametrize(("soql", "code", "message"), ERRORS)
def test_query_errors_use_salesforce_codes_and_messages(
    sf_org: OrgHandle, soql: str | None, code: str, message: str
) -> None:
    body = _error(sf_org, soql)
    assert body == [{"message": message, "errorCode": code}], body


def test_query_unreadable_object_is_invalid_type_for_that_user(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("int@test.org", profile="Minimum Access - API Only Integrations")
    body = _error(sf_org, "SELECT Id FROM Contact", user="int@test.org")
    assert body[0]["errorCode"] == "INVALID_TYPE", body


def test_query_unreadable_field_is_invalid_field(sf_org: OrgHandle) -> None:
    sf_org.control.update_profile("Standard User", fields={"Contact.Email": "none"})
    body = _error(sf_org, "SELECT Email FROM Contact", user=USER)
    assert body[0]["errorCode"] == "INVALID_FIELD", body
    assert body[0]["message"].startswith("No such column 'Email' on entity 'Contact'"), body


def test_query_sharing_filters_rows(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Account": "Private"})
    sf_org.control.seed_records("Account", [{"Name": "Mine", "OwnerId": USER}], as_user=ADMIN)
    _seed(sf_org, "Account", {"Name": "Theirs"})
    user = _query(sf_org, "SELECT Name FROM Account", user=USER)
    admin = _query(sf_org, "SELECT Name FROM Account ORDER BY Name")
    assert [r["Name"] for r in user["records"]] == ["Mine"], user
    assert [r["Name"] for r in admin["records"]] == ["Mine", "Theirs"], admin


def test_query_self_check_queries_answer(sf_org: OrgHandle) -> None:
    me = sf_org.users[USER]
    who = _query(
        sf_org,
        f"SELECT Id, Username, Name, IsActive, Profile.Name, UserType FROM User WHERE Id = '{me}'",
        user=USER,
    )
    assert who["records"][0]["Profile"]["Name"] == "Standard User", who
    assignments = f"SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{me}'"
    perms = _query(
        sf_org,
        "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, "
        "PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM "
        f"ObjectPermissions WHERE ParentId IN ({assignments}) AND SobjectType IN ('Contact')",
    )
    assert [r["SobjectType"] for r in perms["records"]] == ["Contact"], perms


def _leads(sf_org: OrgHandle, count: int) -> None:
    records = [{"LastName": f"L{n:05d}", "Company": "Co"} for n in range(count)]
    _seed(sf_org, "Lead", *records)


@pytest.mark.slow
@pytest.mark.parametrize(("count", "first_done"), [(2000, True), (2001, False)])
def test_query_paging_edges(sf_org: OrgHandle, count: int, first_done: bool) -> None:
    _leads(sf_org, count)
    api = sf_org.api(ADMIN)
    first = _query(sf_org, "SELECT LastName FROM Lead ORDER BY LastName")
    assert (first["totalSize"], first["done"], len(first["records"])) == (count, first_done, 2000)
    if first_done:
        assert "nextRecordsUrl" not in first, first.keys()
        return
    url = first["nextRecordsUrl"]
    assert url.startswith("/services/data/v59.0/query/01g") and url.endswith("-2000"), url
    second = api.get(url).json()
    assert (second["done"], [r["LastName"] for r in second["records"]]) == (True, ["L02000"])
    again = api.get(url.replace("/query/", "/queryAll/").replace("v59.0", "v50.0"))
    assert again.status_code == 200, again.text
    [record] = again.json()["records"]
    assert record["attributes"]["url"].startswith("/services/data/v50.0/"), record
    assert record["LastName"] == "L02000", record


def test_query_batch_size_header_and_locator_expiry(sf_org: OrgHandle) -> None:
    _leads(sf_org, 450)
    api = sf_org.api(ADMIN)
    response = api.get(
        "/query",
        params={"q": "SELECT Id FROM Lead"},
        headers={"Sforce-Query-Options": "batchSize=200"},
    )
    body = response.json()
    assert (len(body["records"]), body["nextRecordsUrl"][-4:]) == (200, "-200"), body.keys()
    assert api.get(body["nextRecordsUrl"]).json()["nextRecordsUrl"].endswith("-400")
    sf_org.control.advance_clock(minutes=16)
    expired = api.get(body["nextRecordsUrl"])
    assert expired.status_code == 400, expired.text
    assert expired.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR", expired.text


def test_query_all_route_and_empty_results(sf_org: OrgHandle) -> None:
    api = sf_org.api(ADMIN)
    response = api.get("/queryAll", params={"q": "SELECT Id FROM Event"})
    assert response.json() == {"totalSize": 0, "done": True, "records": []}, response.text
    bad = api.get("/query/01gNOTALOCATOR-2000")
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_query_explain_answers_a_plan(sf_org: OrgHandle) -> None:
    _seed(sf_org, "Contact", {"LastName": "Smith", "Email": "s@x.com"})
    response = sf_org.api(ADMIN).get(
        "/query", params={"explain": "SELECT Id FROM Contact WHERE Email = 's@x.com'"}
    )
    assert response.status_code == 200, response.text
    [plan] = response.json()["plans"]
    assert (plan["leadingOperationType"], plan["sobjectType"]) == ("Index", "Contact"), plan


def test_query_all_includes_rows_deleted_through_the_api(sf_org: OrgHandle) -> None:
    api = sf_org.api(ADMIN)
    created = api.post("/sobjects/Account", json={"Name": "Doomed"})
    assert created.status_code == 201, created.text
    record_id = created.json()["id"]
    deleted = api.delete(f"/sobjects/Account/{record_id}")
    assert deleted.status_code == 204, deleted.text
    soql = "SELECT Id, IsDeleted FROM Account"
    live = _query(sf_org, soql)
    every = api.get("/queryAll", params={"q": soql}).json()
    assert live["totalSize"] == 0, live
    assert [(r["Id"], r["IsDeleted"]) for r in every["records"]] == [(record_id, True)], every


def test_query_journal_and_faults_name_the_view(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"operation": "query_more"},
        error={"errorCode": "QUERY_TIMEOUT"},
        times=1,
    )
    _leads(sf_org, 201)
    api = sf_org.api(ADMIN)
    first = api.get(
        "/query",
        params={"q": "SELECT Id FROM Lead"},
        headers={"Sforce-Query-Options": "batchSize=200"},
    )
    timed_out = api.get(first.json()["nextRecordsUrl"])
    assert timed_out.status_code == 400, timed_out.text
    assert timed_out.json()[0]["errorCode"] == "QUERY_TIMEOUT", timed_out.text
    entries = sf_org.control.journal(operation="query")
    assert [(e["soql"], e["sobject"]) for e in entries] == [("SELECT Id FROM Lead", "Lead")], (
        entries
    )
