"""Statements that parse but that Salesforce refuses once names and types are known."""

from __future__ import annotations

import re

import pytest

from mock_salesforce.soql.errors import (
    InvalidField,
    InvalidQueryFilterOperator,
    InvalidType,
    MalformedQuery,
    SoqlError,
)
from tests.unit.soql.conftest import Dataset

CASES: list[tuple[str, type[SoqlError], str]] = [
    ("SELECT Id, id FROM Account", MalformedQuery, "duplicate field selected: Id"),
    (
        "SELECT Owner.Name, owner.name FROM Account",
        MalformedQuery,
        "duplicate field selected: Owner.Name",
    ),
    (
        "SELECT Id FROM Account WHERE Name = 5",
        MalformedQuery,
        "value of filter criterion for field 'Name' must be of type string and should be enclosed "
        "in quotes",
    ),
    (
        "SELECT Id FROM Account WHERE NumberOfEmployees = '5'",
        MalformedQuery,
        "value of filter criterion for field 'NumberOfEmployees' must be of type int and "
        "should not be enclosed in quotes",
    ),
    (
        "SELECT Id FROM Contact WHERE HasOptedOutOfEmail = 'true'",
        MalformedQuery,
        "value of filter criterion for field 'HasOptedOutOfEmail' must be of type boolean and "
        "should not be enclosed in quotes",
    ),
    (
        "SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-01T00:00:00Z",
        MalformedQuery,
        "value of filter criterion for field 'CloseDate' must be of type date and should not be "
        "enclosed in quotes",
    ),
    (
        "SELECT Id FROM Account WHERE Name = TODAY",
        MalformedQuery,
        "value of filter criterion for field 'Name' must be of type string and should not be "
        "enclosed in quotes",
    ),
    (
        "SELECT Id FROM Account WHERE AnnualRevenue = 'x'",
        MalformedQuery,
        "value of filter criterion for field 'AnnualRevenue' must be of type double and should not "
        "be enclosed in quotes",
    ),
    (
        "SELECT Id FROM Account WHERE OwnerId = 'nope'",
        InvalidQueryFilterOperator,
        "invalid ID field: nope",
    ),
    (
        "SELECT Id FROM Account WHERE Id IN ('001000000000000', 'x')",
        InvalidQueryFilterOperator,
        "invalid ID field: x",
    ),
    (
        "SELECT Id FROM Account WHERE NumberOfEmployees LIKE '5%'",
        MalformedQuery,
        "invalid operator on field NumberOfEmployees: LIKE",
    ),
    (
        "SELECT Id FROM Account WHERE Name INCLUDES ('a')",
        MalformedQuery,
        "invalid operator on field Name: INCLUDES",
    ),
    (
        "SELECT SUM(Name) FROM Account",
        MalformedQuery,
        "field Name does not support aggregate operator SUM",
    ),
    (
        "SELECT MAX(IsDeleted) FROM Account",
        MalformedQuery,
        "field IsDeleted does not support aggregate operator MAX",
    ),
    (
        "SELECT CALENDAR_YEAR(Name), COUNT(Id) FROM Account GROUP BY CALENDAR_YEAR(Name)",
        MalformedQuery,
        "CALENDAR_YEAR can only be used with date or dateTime fields: Name",
    ),
    (
        "SELECT HOUR_IN_DAY(CloseDate), COUNT(Id) FROM Opportunity GROUP BY HOUR_IN_DAY(CloseDate)",
        MalformedQuery,
        "HOUR_IN_DAY can only be used with dateTime fields: CloseDate",
    ),
    (
        "SELECT Id FROM Account WHERE COUNT(Id) > 1",
        MalformedQuery,
        "Aggregate functions cannot be used in a WHERE clause",
    ),
    (
        "SELECT Id FROM Account ORDER BY COUNT(Id)",
        MalformedQuery,
        "Aggregate functions in ORDER BY need an aggregate query",
    ),
    (
        "SELECT COUNT(Id) FROM Account GROUP BY COUNT(Id)",
        MalformedQuery,
        "Aggregate functions cannot be used in a GROUP BY clause",
    ),
    (
        "SELECT CALENDAR_YEAR(CreatedDate) FROM Account",
        MalformedQuery,
        "Date functions and aggregates need GROUP BY or an aggregate query",
    ),
    (
        "SELECT Id FROM Account WHERE Name IN (SELECT AccountId FROM Contact)",
        MalformedQuery,
        "Semi join and anti-join conditions must be on an id or reference field: Name",
    ),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)",
        MalformedQuery,
        "The selected field in a semi join must be an id or reference: LastName",
    ),
    (
        "SELECT Foo.Name FROM Contact",
        InvalidField,
        "Didn't understand relationship 'Foo' in field path.",
    ),
    ("SELECT Who.Foo FROM Task", InvalidField, "No such column 'Foo' on entity 'Name'."),
    ("SELECT Account.Foo FROM Contact", InvalidField, "No such column 'Foo' on entity 'Account'."),
    (
        "SELECT Id, (SELECT Id FROM Widgets) FROM Account",
        InvalidType,
        "Didn't understand relationship 'Widgets' in FROM part of query call.",
    ),
    (
        "SELECT Id, (SELECT COUNT() FROM Contacts) FROM Account",
        MalformedQuery,
        "Aggregate functions are not supported in a child relationship query",
    ),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Widget)",
        InvalidType,
        "sObject type 'Widget' is not supported.",
    ),
    (
        "SELECT TYPEOF What WHEN Widget THEN Name END FROM Task",
        MalformedQuery,
        "TYPEOF What: unknown type Widget",
    ),
    (
        "SELECT TYPEOF What WHEN Account THEN Nope END FROM Task",
        InvalidField,
        "No such column 'Nope' on entity 'Account'.",
    ),
]


@pytest.mark.parametrize(("soql", "error", "message"), CASES)
def test_query_refused_with_salesforce_error(
    dataset: Dataset, soql: str, error: type[SoqlError], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}") as caught:
        dataset.caller("admin").query(soql)
    assert caught.value.to_json()["errorCode"] == error.error_code, caught.value.to_json()
    assert "fields" not in caught.value.to_json(), caught.value.to_json()
