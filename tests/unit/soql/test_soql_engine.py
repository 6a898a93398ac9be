"""Table-driven: SOQL run against a known org -> the records Salesforce would answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.soql.conftest import Dataset, names, strip

CASES: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "SELECT Name FROM Account WHERE BillingStreet = null ORDER BY BillingStreet, Name",
        names("Acme", "Globex", "Initech"),
    ),
    ("SELECT Name FROM Account ORDER BY Name", names("Acme", "Globex", "Initech")),
    ("select name from account order by name desc", names("Initech", "Globex", "Acme")),
    ("SELECT Name FROM Account WHERE Name = 'ACME'", names("Acme")),
    ("SELECT Name FROM Account WHERE Name != 'acme' ORDER BY Name", names("Globex", "Initech")),
    ("SELECT Name FROM Account WHERE Type != 'Prospect' ORDER BY Name", names("Globex", "Initech")),
    ("SELECT Name FROM Account WHERE Type = null", names("Initech")),
    ("SELECT Name FROM Account WHERE Type != null ORDER BY Name", names("Acme", "Globex")),
    ("SELECT Name FROM Account WHERE NumberOfEmployees > 10", names("Acme")),
    (
        "SELECT Name FROM Account WHERE NumberOfEmployees >= 10 ORDER BY Name",
        names("Acme", "Globex"),
    ),
    ("SELECT Name FROM Account WHERE NumberOfEmployees < 50", names("Globex")),
    (
        "SELECT Name FROM Account WHERE NumberOfEmployees <= 50 ORDER BY NumberOfEmployees",
        names("Globex", "Acme"),
    ),
    ("SELECT Name FROM Account WHERE AnnualRevenue = 1000000.0", names("Acme")),
    ("SELECT Name FROM Account WHERE Name LIKE 'a%'", names("Acme")),
    (
        "SELECT Name FROM Account WHERE Name LIKE '%E%' ORDER BY Name",
        names("Acme", "Globex", "Initech"),
    ),
    ("SELECT Name FROM Account WHERE Name LIKE 'Glob_x'", names("Globex")),
    ("SELECT Email FROM Contact WHERE Email LIKE 'carol\\_%'", [{"Email": "carol_x@globex.com"}]),
    (
        "SELECT Email FROM Contact WHERE Email LIKE 'carol_%' ORDER BY Email",
        [{"Email": "carol_x@globex.com"}],
    ),
    ("SELECT LastName FROM Contact WHERE LastName = 'O\\'Hara'", [{"LastName": "O'Hara"}]),
    (
        "SELECT Name FROM Account WHERE Type IN ('Prospect', 'Customer - Direct') ORDER BY Name",
        names("Acme", "Globex"),
    ),
    (
        "SELECT Name FROM Account WHERE Type NOT IN ('Prospect') ORDER BY Name",
        names("Globex", "Initech"),
    ),
    (
        "SELECT Name FROM Account WHERE Type IN ('Prospect', null) ORDER BY Name",
        names("Acme", "Initech"),
    ),
    (
        "SELECT Name FROM Account WHERE Name = 'Acme' OR Name = 'Globex' ORDER BY Name",
        names("Acme", "Globex"),
    ),
    (
        "SELECT Name FROM Account WHERE (Name = 'Acme' OR Name = 'Globex') "
        "AND NumberOfEmployees < 20",
        names("Globex"),
    ),
    ("SELECT Name FROM Account WHERE NOT Name = 'Acme' ORDER BY Name", names("Globex", "Initech")),
    (
        "SELECT Name FROM Account WHERE NOT Type = 'Prospect' ORDER BY Name",
        names("Globex", "Initech"),
    ),
    (
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact) ORDER BY Name",
        names("Acme", "Globex"),
    ),
    ("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)", names("Initech")),
    (
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity "
        "WHERE StageName = 'Closed Won')",
        names("Acme"),
    ),
    ("SELECT LastName FROM Contact WHERE Interests__c INCLUDES ('golf')", [{"LastName": "Smith"}]),
    ("SELECT LastName FROM Contact WHERE Interests__c INCLUDES ('Golf;Chess')", []),
    (
        "SELECT LastName FROM Contact WHERE Interests__c INCLUDES ('Golf;Tennis', 'Chess') "
        "ORDER BY LastName",
        [{"LastName": "Jones"}, {"LastName": "Smith"}],
    ),
    (
        "SELECT LastName FROM Contact WHERE Interests__c EXCLUDES ('Golf') ORDER BY LastName",
        [{"LastName": "dan"}, {"LastName": "Jones"}, {"LastName": "O'Hara"}],
    ),
    ("SELECT Name FROM Opportunity WHERE CloseDate = 2024-05-01", names("Small Deal")),
    (
        "SELECT Name FROM Opportunity WHERE CloseDate > 2024-05-01 ORDER BY CloseDate",
        names("Globex One", "Big Deal"),
    ),
    (
        "SELECT Name FROM Opportunity WHERE CloseDate = THIS_MONTH ORDER BY Name",
        names("Globex One", "Small Deal"),
    ),
    ("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_MONTH", names("Big Deal")),
    ("SELECT Name FROM Opportunity WHERE CloseDate < TODAY", names("Small Deal")),
    ("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:7", names("Globex One")),
    ("SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:14", names("Small Deal")),
    ("SELECT Name FROM Account WHERE CreatedDate = TODAY AND Name = 'Acme'", names("Acme")),
    ("SELECT Name FROM Account WHERE CreatedDate = YESTERDAY", []),
    (
        "SELECT Name FROM Account WHERE CreatedDate > 2024-05-15T11:59:59Z AND Name = 'Acme'",
        names("Acme"),
    ),
    (
        "SELECT Name FROM Account WHERE CreatedDate > 2024-05-15T13:00:00+01:00 AND Name = 'Acme'",
        [],
    ),
    (
        "SELECT Name FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024 AND Name = 'Acme'",
        names("Acme"),
    ),
    ("SELECT Name FROM Account ORDER BY Name LIMIT 2", names("Acme", "Globex")),
    ("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1", names("Globex", "Initech")),
    ("SELECT Name FROM Account ORDER BY Name OFFSET 5", []),
    # Picklists sort in their Setup order (Account.Type: Prospect, Customer - Direct, ...).
    ("SELECT Name FROM Account ORDER BY Type NULLS LAST, Name", names("Acme", "Globex", "Initech")),
    ("SELECT Name FROM Account ORDER BY Type DESC NULLS FIRST", names("Initech", "Globex", "Acme")),
    ("SELECT Name FROM Account ORDER BY Type", names("Initech", "Acme", "Globex")),
    ("SELECT Name FROM Account ORDER BY Name DESC", names("Initech", "Globex", "Acme")),
    (
        "SELECT LastName, Account.Name FROM Contact WHERE Account.Name = 'Globex'",
        [{"LastName": "O'Hara", "Account": {"Name": "Globex"}}],
    ),
    (
        "SELECT LastName, Account.Name FROM Contact WHERE AccountId = null",
        [{"LastName": "dan", "Account": None}],
    ),
    (
        "SELECT lastname, ACCOUNT.NAME, account.owner.username FROM Contact "
        "WHERE Email = 'bob@acme.com'",
        [
            {
                "LastName": "Jones",
                "Account": {"Name": "Acme", "Owner": {"Username": "admin@unit.test"}},
            }
        ],
    ),
    ("SELECT Name FROM Account WHERE Owner.Username = 'rep@unit.test'", names("Globex")),
    (
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name",
        [
            {
                "Name": "Acme",
                "Contacts": {
                    "totalSize": 2,
                    "done": True,
                    "records": [{"LastName": "Jones"}, {"LastName": "Smith"}],
                },
            },
            {
                "Name": "Globex",
                "Contacts": {"totalSize": 1, "done": True, "records": [{"LastName": "O'Hara"}]},
            },
            {"Name": "Initech", "Contacts": None},
        ],
    ),
    (
        "SELECT Name, (SELECT Name FROM Opportunities WHERE Amount > 200 "
        "ORDER BY Amount DESC LIMIT 1) FROM Account WHERE Name = 'Acme'",
        [
            {
                "Name": "Acme",
                "Opportunities": {"totalSize": 1, "done": True, "records": [{"Name": "Big Deal"}]},
            }
        ],
    ),
    (
        "SELECT Subject, Who.Name, What.Name FROM Task ORDER BY Subject",
        [
            {"Subject": "Call Alice", "Who": {"Name": "Alice Smith"}, "What": {"Name": "Acme"}},
            {"Subject": "Email Lee", "Who": {"Name": "Lee Lead"}, "What": None},
        ],
    ),
    ("SELECT Subject FROM Task WHERE Who.Type = 'Lead'", [{"Subject": "Email Lee"}]),
    (
        "SELECT TYPEOF Who WHEN Contact THEN Email WHEN Lead THEN Company END FROM Task "
        "ORDER BY Subject",
        [{"Who": {"Email": "alice@acme.com"}}, {"Who": {"Company": "Leads Inc"}}],
    ),
    ("SELECT a.Name FROM Account a WHERE a.Name = 'Acme'", names("Acme")),
    ("SELECT Account.Name FROM Account WHERE Name = 'Acme'", names("Acme")),
    ("SELECT toLabel(Type) FROM Account WHERE Name = 'Acme'", [{"Type": "Prospect"}]),
    (
        "SELECT NumberOfEmployees, FORMAT(NumberOfEmployees) n FROM Account WHERE Name = 'Acme'",
        [{"NumberOfEmployees": 50, "n": 50}],
    ),
    ("SELECT Name FROM Account USING SCOPE mine WHERE Name != 'Acme'", names("Initech")),
]

AGGREGATE_CASES: list[tuple[str, list[dict[str, Any]]]] = [
    ("SELECT COUNT(Id) FROM Contact", [{"expr0": 4}]),
    ("SELECT COUNT(Email) n FROM Contact", [{"n": 3}]),
    ("SELECT COUNT_DISTINCT(AccountId) FROM Contact", [{"expr0": 2}]),
    (
        "SELECT SUM(Amount), AVG(Amount) avg, MIN(CloseDate), MAX(Amount) FROM Opportunity",
        [{"expr0": 5400.0, "avg": 1800.0, "expr1": "2024-05-01", "expr2": 5000.0}],
    ),
    ("SELECT SUM(NumberOfEmployees) FROM Account", [{"expr0": 60}]),
    (
        "SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName ORDER BY StageName",
        [{"StageName": "Prospecting", "expr0": 2}, {"StageName": "Closed Won", "expr0": 1}],
    ),
    (
        "SELECT AccountId, SUM(Amount) total FROM Opportunity GROUP BY AccountId "
        "HAVING SUM(Amount) > 1000",
        [{"AccountId": "acme", "total": 5100.0}],
    ),
    (
        "SELECT Account.Name, COUNT(Id) FROM Contact GROUP BY Account.Name "
        "ORDER BY COUNT(Id) DESC, Account.Name NULLS LAST",
        [{"Name": "Acme", "expr0": 2}, {"Name": "Globex", "expr0": 1}, {"Name": None, "expr0": 1}],
    ),
    (
        "SELECT CALENDAR_MONTH(CloseDate) m, COUNT(Id) FROM Opportunity "
        "GROUP BY CALENDAR_MONTH(CloseDate) ORDER BY CALENDAR_MONTH(CloseDate)",
        [{"m": 5, "expr0": 2}, {"m": 6, "expr0": 1}],
    ),
    (
        "SELECT Type FROM Account GROUP BY Type ORDER BY Type NULLS LAST",
        [{"Type": "Prospect"}, {"Type": "Customer - Direct"}, {"Type": None}],
    ),
    ("SELECT COUNT(Id) FROM Account WHERE Name = 'nobody'", [{"expr0": 0}]),
]


@pytest.mark.parametrize(("soql", "expected"), CASES)
def test_query_returns_expected_records(dataset: Dataset, soql: str, expected: list[Any]) -> None:
    result = dataset.caller("admin").query(soql)
    seen = strip(result.records)
    assert seen == expected, f"{soql!r} returned {seen}"
    assert (result.total_size, result.done) == (len(expected), True), f"{result.to_json()}"


@pytest.mark.parametrize(("soql", "expected"), AGGREGATE_CASES)
def test_aggregate_query_returns_aggregate_results(
    dataset: Dataset, soql: str, expected: list[dict[str, Any]]
) -> None:
    result = dataset.caller("admin").query(soql)
    resolved = [
        {k: dataset.ids.get(v, v) if isinstance(v, str) else v for k, v in row.items()}
        for row in expected
    ]
    assert strip(result.records) == resolved, f"{soql!r} returned {result.records}"
    kinds = {record["attributes"]["type"] for record in result.records}
    assert kinds <= {"AggregateResult"}, f"attributes types {kinds}"
    assert "url" not in str([r["attributes"] for r in result.records]), f"{result.records}"


@pytest.mark.parametrize(
    ("soql", "total"),
    [
        ("SELECT COUNT() FROM Contact", 4),
        ("select count() from Contact where AccountId != null", 3),
        ("SELECT COUNT() FROM Contact LIMIT 2", 2),
        ("SELECT COUNT() FROM Account WHERE Name = 'nobody'", 0),
        ("SELECT COUNT() FROM Contact GROUP BY AccountId", 3),
    ],
)
def test_count_query_answers_total_size_only(dataset: Dataset, soql: str, total: int) -> None:
    result = dataset.caller("admin").query(soql)
    assert result.to_json() == {"totalSize": total, "done": True, "records": []}, (
        f"{soql!r} -> {result.to_json()}"
    )
