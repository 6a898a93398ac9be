"""Every way a statement can be refused: MALFORMED_QUERY with Salesforce's message layout."""

from __future__ import annotations

import pytest

from mock_salesforce.soql import MalformedQuery, parse

# (query, row, column, reason): the message must be "\n<line>\n<caret>\nERROR at ...\n<reason>".
POSITIONED_CASES = [
    ("SELECT Id FRM Account", 1, 11, "unexpected token: 'FRM'"),
    ("SELECT Id FROM Account WHERE", 1, 29, "unexpected token: '<EOF>'"),
    ("SELECT Id FROM Account WHERE   ", 1, 29, "unexpected token: '<EOF>'"),
    ("SELECT Id FROM", 1, 15, "unexpected token: '<EOF>'"),
    ("SELECT", 1, 7, "unexpected token: '<EOF>'"),
    ("SELECT , Id FROM Account", 1, 8, "unexpected token: ','"),
    ("SELECT Id, FROM Account", 1, 12, "unexpected token: 'FROM'"),
    ("SELECT Id, FROM", 1, 12, "unexpected token: 'FROM'"),
    ("SELECT Id FROM Account ORDER BY Name, LIMIT 5", 1, 39, "unexpected token: 'LIMIT'"),
    ("SELECT Id FROM Account WHERE Name", 1, 34, "unexpected token: '<EOF>'"),
    ("SELECT Id FROM Account WHERE Name = ", 1, 36, "unexpected token: '<EOF>'"),
    ("SELECT Id FROM Account WHERE a = 1 AND b = 2 OR c = 3", 1, 46, "unexpected token: 'OR'"),
    ("SELECT Id FROM Account WHERE a = 1 OR b = 2 AND c = 3", 1, 45, "unexpected token: 'AND'"),
    ("SELECT Id FROM Account WHERE Name = foo", 1, 37, "unexpected token: 'foo'"),
    ("SELECT Id FROM Account WHERE Name = 'it''s'", 1, 41, "unexpected token: ''s''"),
    ('SELECT Id FROM Account WHERE Name = "x"', 1, 37, "unexpected token: '\"'"),
    ("SELECT Id FROM Account WHERE Name = 'abc", 1, 37, "unterminated quoted string"),
    (
        "SELECT Id FROM Account WHERE Name = :name",
        1,
        37,
        "Bind variables are only available in Apex; use a literal value",
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'a\\qb'",
        1,
        37,
        "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.",
    ),
    (
        "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS",
        1,
        44,
        "Date literal LAST_N_DAYS needs a number, as in LAST_N_DAYS:7",
    ),
    ("SELECT Id FROM Account WHERE CreatedDate = TODAY:3", 1, 44, "unexpected token: 'TODAY:3'"),
    (
        "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:-1",
        1,
        44,
        "Date literal LAST_N_DAYS needs a number of 0 or more",
    ),
    (
        "SELECT Id FROM Account WHERE CreatedDate > 2024-01-31T10:00:00",
        1,
        44,
        "Invalid dateTime: 2024-01-31T10:00:00 (a time zone such as Z or +01:00 is required)",
    ),
    ("SELECT Id FROM Account WHERE CreatedDate > 2024-02-30", 1, 44, "Invalid date: 2024-02-30"),
    (
        "SELECT Id FROM Account WHERE CreatedDate > 2024-01-31T25:00:00Z",
        1,
        44,
        "Invalid dateTime: 2024-01-31T25:00:00Z",
    ),
    ("SELECT Id FROM Account WHERE Name LIKE 5", 1, 40, "LIKE needs a quoted string, not 5"),
    ("SELECT Id FROM Account WHERE Name LIKE null", 1, 40, "LIKE needs a quoted string, not null"),
    (
        "SELECT Id FROM Contact WHERE Tags__c INCLUDES (1)",
        1,
        48,
        "INCLUDES needs quoted strings, not 1",
    ),
    (
        "SELECT Id FROM Contact WHERE Tags__c EXCLUDES (null)",
        1,
        48,
        "EXCLUDES needs quoted strings, not null",
    ),
    ("SELECT Id FROM Account WHERE Name IN ()", 1, 39, "unexpected token: ')'"),
    (
        "SELECT Id FROM Account LIMIT 1.5",
        1,
        30,
        "unexpected token: '1.5' (a whole number is required)",
    ),
    (
        "SELECT Id FROM Account LIMIT -1",
        1,
        30,
        "unexpected token: '-1' (a whole number is required)",
    ),
    ("SELECT Id FROM Account OFFSET x", 1, 31, "unexpected token: 'x'"),
    ("SELECT Id FROM Account ORDER BY Name UP", 1, 38, "unexpected token: 'UP'"),
    ("SELECT Id FROM Account ORDER BY Name NULLS MIDDLE", 1, 44, "unexpected token: 'MIDDLE'"),
    (
        "SELECT Id FROM Account WITH DATA_CATEGORY",
        1,
        29,
        "WITH DATA_CATEGORY is not supported by this mock",
    ),
    ("SELECT Id FROM Account FOR UPDATE", 1, 28, "FOR UPDATE is only available in Apex"),
    ("SELECT Id FROM Account FOR LATER", 1, 28, "unexpected token: 'LATER'"),
    ("SELECT Id FROM Account UPDATE EVERYTHING", 1, 31, "unexpected token: 'EVERYTHING'"),
    ("SELECT Id FROM Account USING SCOPE galaxy", 1, 36, "unexpected token: 'galaxy'"),
    ("SELECT FIELDS(SOME) FROM Account", 1, 8, "FIELDS() takes ALL, STANDARD or CUSTOM"),
    ("SELECT FIELDS(ALL) f FROM Account LIMIT 1", 1, 20, "unexpected token: 'f'"),
    (
        "SELECT Id FROM Account WHERE FIELDS(ALL) = 1",
        1,
        30,
        "FIELDS() can only be used in the SELECT list",
    ),
    ("SELECT SUM() FROM Opportunity", 1, 8, "SUM() takes exactly one field name"),
    ("SELECT COUNT(Id, Name) FROM Account", 1, 8, "COUNT() takes exactly one field name"),
    ("SELECT MAX('x') FROM Account", 1, 8, "MAX() takes exactly one field name"),
    ("SELECT NOPE(Id) FROM Account", 1, 8, "Unknown function: NOPE"),
    (
        "SELECT Id FROM Account WHERE DISTANCE(Loc__c, GEOLOCATION(1, 2), 'mi') < 20",
        1,
        30,
        "DISTANCE() is not supported by this mock",
    ),
    (
        "SELECT Type FROM Account GROUP BY ROLLUP(Type)",
        1,
        35,
        "ROLLUP() is not supported by this mock",
    ),
    ("SELECT TYPEOF What WHEN Account THEN Name FROM Task", 1, 43, "unexpected token: 'FROM'"),
    ("SELECT Id FROM Account\nWHERE Name = 'x'\nORDER Name", 3, 7, "unexpected token: 'Name'"),
    ("SELECT Id\nFROM Account WHERE", 2, 19, "unexpected token: '<EOF>'"),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Contact",
        1,
        59,
        "unexpected token: '<EOF>'",
    ),
    ("SELECT Id FROM Account;", 1, 23, "unexpected token: ';'"),
]

# Whole-statement checks: Salesforce states them without a position.
STATEMENT_CASES = [
    ("SELECT COUNT(), Id FROM Contact", "COUNT() must be the only element in the SELECT list"),
    ("SELECT Name, COUNT(Id) FROM Account", "Field must be grouped or aggregated: Name"),
    ("SELECT Name FROM Account GROUP BY Type", "Field must be grouped or aggregated: Name"),
    (
        "SELECT Owner.Name, COUNT(Id) FROM Account GROUP BY OwnerId",
        "Field must be grouped or aggregated: Owner.Name",
    ),
    (
        "SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) FROM Lead",
        "Field must be grouped or aggregated: CreatedDate",
    ),
    ("SELECT toLabel(Type), COUNT(Id) FROM Account", "Field must be grouped or aggregated: Type"),
    (
        "SELECT FIELDS(ALL) FROM Account",
        "The SOQL FIELDS function must have a LIMIT of at most 200",
    ),
    (
        "SELECT FIELDS(CUSTOM) FROM Account LIMIT 201",
        "The SOQL FIELDS function must have a LIMIT of at most 200",
    ),
    (
        "SELECT FIELDS(STANDARD), COUNT(Id) FROM Account LIMIT 1",
        "FIELDS(STANDARD) cannot be used in an aggregate query",
    ),
    (
        "SELECT COUNT(Id), (SELECT Id FROM Contacts) FROM Account",
        "A child relationship subquery cannot be used in an aggregate query",
    ),
    (
        "SELECT COUNT(Id), TYPEOF What WHEN Account THEN Name END FROM Task",
        "TYPEOF cannot be used in an aggregate query",
    ),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT Id, Name FROM Contact)",
        "The inner select of a semi-join or anti-join on Contact must select exactly one field",
    ),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT COUNT(Id) FROM Contact)",
        "The inner select of a semi-join or anti-join on Contact must select exactly one field",
    ),
    (
        "SELECT Id FROM Account HAVING COUNT(Id) > 1",
        "HAVING can only be used in an aggregate query or with GROUP BY",
    ),
    ("", "SOQL statements cannot be empty or null"),
    ("   \n ", "SOQL statements cannot be empty or null"),
]


@pytest.mark.parametrize(("soql", "row", "column", "reason"), POSITIONED_CASES)
def test_parse_rejects_with_salesforce_layout(
    soql: str, row: int, column: int, reason: str
) -> None:
    with pytest.raises(MalformedQuery) as caught:
        parse(soql)
    line = soql.split("\n")[row - 1]
    expected = f"\n{line}\n{' ' * (column - 1)}^\nERROR at Row:{row}:Column:{column}\n{reason}"
    assert caught.value.message == expected, f"{soql!r} gave {caught.value.message!r}"
    assert (caught.value.row, caught.value.column) == (row, column), (
        f"position {(caught.value.row, caught.value.column)}"
    )


@pytest.mark.parametrize(("soql", "message"), STATEMENT_CASES)
def test_parse_rejects_whole_statement(soql: str, message: str) -> None:
    with pytest.raises(MalformedQuery) as caught:
        parse(soql)
    assert caught.value.message == message, f"{soql!r} gave {caught.value.message!r}"


def test_malformed_query_carries_salesforce_error_code() -> None:
    with pytest.raises(MalformedQuery) as caught:
        parse("SELECT Id FRM Account")
    assert caught.value.error_code == "MALFORMED_QUERY", f"code {caught.value.error_code}"
    assert str(caught.value) == caught.value.message, f"str() gave {caught.value!s}"


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Account WHERE Name = '\x00'",
        "SELECT Id FROM Account WHERE Name = 'x' " + "AND Name = 'x' " * 300,
        "SELECT " + ", ".join(f"F{i}__c" for i in range(500)) + " FROM Account",
        "SELECT Id FROM Account WHERE ((((((Name = 'x'))))))",
        "SELECT Id FROM Account WHERE Name = '\u00e9\u4e2d'",
    ],
)
def test_parse_accepts_large_or_unusual_but_valid_input(soql: str) -> None:
    parsed = parse(soql)
    assert parsed.sobject == "Account", f"parsed {parsed.sobject!r}"


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Account WHERE ((((Name = 'x')))",
        "SELECT Id FROM Account WHERE Name = 'x' AND",
        "SELECT Id FROM Account WHERE NOT",
        "SELECT Id FROM Account WHERE Id IN ('a',)",
        "SELECT Id FROM Account ORDER BY",
        "SELECT Id FROM Account GROUP BY",
        "SELECT Id FROM Account LIMIT",
        "SELECT (SELECT Id FROM Contacts FROM Account",
        "SELECT Id FROM Account WHERE Name = 'x' Name = 'y'",
        "SELECT Id FROM Account WHERE Name == 'x'",
        "SELECT Id FROM Account WHERE Name = 'x' WHERE Name = 'y'",
        "SELECT Id FROM Account LIMIT 1 WHERE Name = 'x'",
        "SELECT Id FROM Account, Contact",
        "SELECT Id FROM Account WHERE Amount > USD5000",
        "DELETE FROM Account",
        "SELECT Id.Name. FROM Account",
        "SELECT Id FROM Account WHERE Name = 'x' \\",
    ],
)
def test_parse_never_raises_anything_but_malformed_query(soql: str) -> None:
    with pytest.raises(MalformedQuery, match="ERROR at Row:1:Column:"):
        parse(soql)
