"""Table-driven tests: SOQL text -> the typed query the parser must build."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mock_salesforce.soql import parse
from mock_salesforce.soql.nodes import (
    Aggregate,
    AggregateFunction,
    And,
    BooleanValue,
    ChildQuery,
    Comparison,
    ComparisonOperator,
    DateFunction,
    DateFunctionCall,
    DateTimeValue,
    DateValue,
    FieldFunction,
    FieldFunctionCall,
    FieldPath,
    FieldsKind,
    FieldsMacro,
    ForClause,
    Includes,
    InList,
    Like,
    LikePattern,
    Not,
    NullsOrder,
    NullValue,
    NumberValue,
    Or,
    OrderKey,
    Query,
    RelativeDate,
    SemiJoin,
    StringValue,
    TypeOf,
    TypeOfWhen,
    UpdateClause,
    Wildcard,
    WithClause,
)

ID = FieldPath(("Id",))
NAME = FieldPath(("Name",))
EQ = ComparisonOperator.EQ


def f(dotted: str) -> FieldPath:
    return FieldPath(tuple(dotted.split(".")))


def where(condition: object, sobject: str = "Account") -> Query:
    return Query(select=(ID,), sobject=sobject, where=condition)  # type: ignore[arg-type]


SELECT_CASES = [
    ("SELECT Id FROM Account", Query((ID,), "Account")),
    ("select id, name from account", Query((f("id"), f("name")), "account")),
    ("SeLeCt Id FrOm Contact", Query((ID,), "Contact")),
    ("SELECT Id,Name FROM Account", Query((ID, NAME), "Account")),
    ("SELECT Owner.Name FROM Account", Query((f("Owner.Name"),), "Account")),
    ("SELECT Account.Owner.Email FROM Contact", Query((f("Account.Owner.Email"),), "Contact")),
    ("SELECT Who.Name, What.Name FROM Task", Query((f("Who.Name"), f("What.Name")), "Task")),
    (
        "SELECT Custom__c, Rel__r.Field__c FROM Thing__c",
        Query((f("Custom__c"), f("Rel__r.Field__c")), "Thing__c"),
    ),
    ("SELECT ns__Field__c FROM ns__Obj__c", Query((f("ns__Field__c"),), "ns__Obj__c")),
    ("SELECT Id FROM Group", Query((ID,), "Group")),
    ("SELECT Id FROM Order", Query((ID,), "Order")),
    ("SELECT Type, Count__c FROM Account", Query((f("Type"), f("Count__c")), "Account")),
    ("SELECT Id FROM Account a", Query((ID,), "Account", alias="a")),
    ("SELECT a.Name FROM Account a", Query((f("a.Name"),), "Account", alias="a")),
    ("SELECT Id\nFROM Account\n", Query((ID,), "Account")),
    ("SELECT FIELDS(STANDARD) FROM Account", Query((FieldsMacro(FieldsKind.STANDARD),), "Account")),
    (
        "SELECT fields(all) FROM Account LIMIT 200",
        Query((FieldsMacro(FieldsKind.ALL),), "Account", limit=200),
    ),
    (
        "SELECT FIELDS(CUSTOM) FROM Account LIMIT 5",
        Query((FieldsMacro(FieldsKind.CUSTOM),), "Account", limit=5),
    ),
    (
        "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
        Query((ID, ChildQuery(Query((ID,), "Contacts"))), "Account"),
    ),
    (
        "SELECT Name, (SELECT LastName FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 5)"
        " FROM Account",
        Query(
            (
                NAME,
                ChildQuery(
                    Query(
                        (f("LastName"),),
                        "Contacts",
                        where=Comparison(f("Email"), ComparisonOperator.NE, NullValue()),
                        order_by=(OrderKey(f("LastName")),),
                        limit=5,
                    )
                ),
            ),
            "Account",
        ),
    ),
    (
        "SELECT TYPEOF What WHEN Account THEN Name, Phone WHEN Opportunity THEN Amount "
        "ELSE Name END FROM Task",
        Query(
            (
                TypeOf(
                    "What",
                    (
                        TypeOfWhen("Account", (NAME, f("Phone"))),
                        TypeOfWhen("Opportunity", (f("Amount"),)),
                    ),
                    (NAME,),
                ),
            ),
            "Task",
        ),
    ),
    (
        "SELECT Id, typeof Who when Lead then Company end FROM Event",
        Query((ID, TypeOf("Who", (TypeOfWhen("Lead", (f("Company"),)),))), "Event"),
    ),
    (
        "SELECT toLabel(Status) FROM Lead",
        Query((FieldFunctionCall(FieldFunction.TOLABEL, f("Status")),), "Lead"),
    ),
    (
        "SELECT FORMAT(Amount) amt FROM Opportunity",
        Query((FieldFunctionCall(FieldFunction.FORMAT, f("Amount"), "amt"),), "Opportunity"),
    ),
]

AGGREGATE_CASES = [
    ("SELECT COUNT() FROM Contact", Query((Aggregate(AggregateFunction.COUNT, None),), "Contact")),
    ("select count() from Contact", Query((Aggregate(AggregateFunction.COUNT, None),), "Contact")),
    (
        "SELECT Count() FROM Contact WHERE Email = null",
        Query(
            (Aggregate(AggregateFunction.COUNT, None),),
            "Contact",
            where=Comparison(f("Email"), EQ, NullValue()),
        ),
    ),
    ("SELECT COUNT(Id) FROM Contact", Query((Aggregate(AggregateFunction.COUNT, ID),), "Contact")),
    (
        "SELECT COUNT_DISTINCT(Email) n FROM Contact",
        Query((Aggregate(AggregateFunction.COUNT_DISTINCT, f("Email"), "n"),), "Contact"),
    ),
    (
        "SELECT SUM(Amount), AVG(Amount), MIN(CloseDate), MAX(CloseDate) FROM Opportunity",
        Query(
            (
                Aggregate(AggregateFunction.SUM, f("Amount")),
                Aggregate(AggregateFunction.AVG, f("Amount")),
                Aggregate(AggregateFunction.MIN, f("CloseDate")),
                Aggregate(AggregateFunction.MAX, f("CloseDate")),
            ),
            "Opportunity",
        ),
    ),
    (
        "SELECT StageName, SUM(Amount) total FROM Opportunity GROUP BY StageName",
        Query(
            (f("StageName"), Aggregate(AggregateFunction.SUM, f("Amount"), "total")),
            "Opportunity",
            group_by=(f("StageName"),),
        ),
    ),
    (
        "SELECT Type, COUNT(Id) FROM Account GROUP BY Type HAVING COUNT(Id) > 1",
        Query(
            (f("Type"), Aggregate(AggregateFunction.COUNT, ID)),
            "Account",
            group_by=(f("Type"),),
            having=Comparison(
                Aggregate(AggregateFunction.COUNT, ID), ComparisonOperator.GT, NumberValue(1)
            ),
        ),
    ),
    (
        "SELECT Owner.Name, COUNT(Id) FROM Account GROUP BY owner.name ORDER BY COUNT(Id) DESC",
        Query(
            (f("Owner.Name"), Aggregate(AggregateFunction.COUNT, ID)),
            "Account",
            group_by=(f("owner.name"),),
            order_by=(OrderKey(Aggregate(AggregateFunction.COUNT, ID), descending=True),),
        ),
    ),
    (
        "SELECT CALENDAR_YEAR(CreatedDate) y, COUNT(Id) FROM Lead "
        "GROUP BY CALENDAR_YEAR(CreatedDate)",
        Query(
            (
                DateFunctionCall(DateFunction.CALENDAR_YEAR, f("CreatedDate"), alias="y"),
                Aggregate(AggregateFunction.COUNT, ID),
            ),
            "Lead",
            group_by=(DateFunctionCall(DateFunction.CALENDAR_YEAR, f("CreatedDate")),),
        ),
    ),
    (
        "SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)) h, COUNT(Id) FROM Lead "
        "GROUP BY HOUR_IN_DAY(convertTimezone(CreatedDate))",
        Query(
            (
                DateFunctionCall(DateFunction.HOUR_IN_DAY, f("CreatedDate"), True, "h"),
                Aggregate(AggregateFunction.COUNT, ID),
            ),
            "Lead",
            group_by=(DateFunctionCall(DateFunction.HOUR_IN_DAY, f("CreatedDate"), True),),
        ),
    ),
    (
        "SELECT Type FROM Account GROUP BY Type",
        Query((f("Type"),), "Account", group_by=(f("Type"),)),
    ),
    (
        "SELECT FORMAT(MIN(Amount)) m FROM Opportunity",
        Query(
            (
                FieldFunctionCall(
                    FieldFunction.FORMAT, Aggregate(AggregateFunction.MIN, f("Amount")), "m"
                ),
            ),
            "Opportunity",
        ),
    ),
]

CONDITION_CASES = [
    (
        "SELECT Id FROM Account WHERE Name = 'Acme'",
        where(Comparison(NAME, EQ, StringValue("Acme"))),
    ),
    (
        "SELECT Id FROM Account WHERE Name != 'Acme'",
        where(Comparison(NAME, ComparisonOperator.NE, StringValue("Acme"))),
    ),
    (
        "SELECT Id FROM Account WHERE Name <> 'Acme'",
        where(Comparison(NAME, ComparisonOperator.NE, StringValue("Acme"))),
    ),
    (
        "SELECT Id FROM Account WHERE NumberOfEmployees < 10",
        where(Comparison(f("NumberOfEmployees"), ComparisonOperator.LT, NumberValue(10))),
    ),
    (
        "SELECT Id FROM Account WHERE NumberOfEmployees <= 10",
        where(Comparison(f("NumberOfEmployees"), ComparisonOperator.LE, NumberValue(10))),
    ),
    (
        "SELECT Id FROM Account WHERE AnnualRevenue > 1.5",
        where(Comparison(f("AnnualRevenue"), ComparisonOperator.GT, NumberValue(Decimal("1.5")))),
    ),
    (
        "SELECT Id FROM Account WHERE AnnualRevenue >= -20",
        where(Comparison(f("AnnualRevenue"), ComparisonOperator.GE, NumberValue(-20))),
    ),
    ("SELECT Id FROM Account WHERE Name=null", where(Comparison(NAME, EQ, NullValue()))),
    ("SELECT Id FROM Account WHERE Name = NULL", where(Comparison(NAME, EQ, NullValue()))),
    (
        "SELECT Id FROM Contact WHERE HasOptedOutOfEmail = TRUE",
        where(Comparison(f("HasOptedOutOfEmail"), EQ, BooleanValue(True)), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE HasOptedOutOfEmail = false",
        where(Comparison(f("HasOptedOutOfEmail"), EQ, BooleanValue(False)), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE Birthdate = 2024-01-31",
        where(Comparison(f("Birthdate"), EQ, DateValue(date(2024, 1, 31))), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate > 2024-01-31T10:00:00Z",
        where(
            Comparison(
                f("CreatedDate"),
                ComparisonOperator.GT,
                DateTimeValue(datetime(2024, 1, 31, 10, tzinfo=UTC)),
            ),
            "Contact",
        ),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate > 2024-01-31T10:00:00+01:00",
        where(
            Comparison(
                f("CreatedDate"),
                ComparisonOperator.GT,
                DateTimeValue(datetime(2024, 1, 31, 9, tzinfo=UTC)),
            ),
            "Contact",
        ),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate > 2024-01-31T10:00:00.000+0000",
        where(
            Comparison(
                f("CreatedDate"),
                ComparisonOperator.GT,
                DateTimeValue(datetime(2024, 1, 31, 10, tzinfo=UTC)),
            ),
            "Contact",
        ),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate = TODAY",
        where(Comparison(f("CreatedDate"), EQ, RelativeDate("TODAY")), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate = last_n_days:30",
        where(Comparison(f("CreatedDate"), EQ, RelativeDate("LAST_N_DAYS", 30)), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE CreatedDate < N_DAYS_AGO:3",
        where(
            Comparison(f("CreatedDate"), ComparisonOperator.LT, RelativeDate("N_DAYS_AGO", 3)),
            "Contact",
        ),
    ),
    (
        "SELECT Id FROM Account WHERE Name LIKE 'Ac%'",
        where(Like(NAME, LikePattern(("Ac", Wildcard.ANY)))),
    ),
    (
        "SELECT Id FROM Account WHERE Name LIKE '_c\\%\\_'",
        where(Like(NAME, LikePattern((Wildcard.ONE, "c%_")))),
    ),
    (
        "SELECT Id FROM Account WHERE Name like 'O\\'Brien%'",
        where(Like(NAME, LikePattern(("O'Brien", Wildcard.ANY)))),
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'a\\\\b\\nc'",
        where(Comparison(NAME, EQ, StringValue("a\\b\nc"))),
    ),
    ("SELECT Id FROM Account WHERE Name = 'it''s'", None),
    (
        "SELECT Id FROM Account WHERE Type IN ('A', 'B')",
        where(InList(f("Type"), (StringValue("A"), StringValue("B")))),
    ),
    (
        "SELECT Id FROM Account WHERE Type NOT IN ('A')",
        where(InList(f("Type"), (StringValue("A"),), negated=True)),
    ),
    (
        "SELECT Id FROM Account WHERE NumberOfEmployees IN (1, 2.5, null)",
        where(
            InList(
                f("NumberOfEmployees"), (NumberValue(1), NumberValue(Decimal("2.5")), NullValue())
            )
        ),
    ),
    (
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)",
        where(SemiJoin(ID, Query((f("AccountId"),), "Contact"))),
    ),
    (
        "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact WHERE Email = null)",
        where(
            SemiJoin(
                ID,
                Query((f("AccountId"),), "Contact", where=Comparison(f("Email"), EQ, NullValue())),
                negated=True,
            )
        ),
    ),
    (
        "SELECT Id FROM Contact WHERE Interests__c INCLUDES ('a;b', 'c')",
        where(Includes(f("Interests__c"), ("a;b", "c")), "Contact"),
    ),
    (
        "SELECT Id FROM Contact WHERE Interests__c EXCLUDES ('a')",
        where(Includes(f("Interests__c"), ("a",), excludes=True), "Contact"),
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' AND Site = 'c'",
        where(
            And(
                (
                    Comparison(NAME, EQ, StringValue("a")),
                    Comparison(f("Type"), EQ, StringValue("b")),
                    Comparison(f("Site"), EQ, StringValue("c")),
                )
            )
        ),
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'a' or Type = 'b'",
        where(
            Or(
                (
                    Comparison(NAME, EQ, StringValue("a")),
                    Comparison(f("Type"), EQ, StringValue("b")),
                )
            )
        ),
    ),
    (
        "SELECT Id FROM Account WHERE (Name = 'a' OR Type = 'b') AND Site = 'c'",
        where(
            And(
                (
                    Or(
                        (
                            Comparison(NAME, EQ, StringValue("a")),
                            Comparison(f("Type"), EQ, StringValue("b")),
                        )
                    ),
                    Comparison(f("Site"), EQ, StringValue("c")),
                )
            )
        ),
    ),
    (
        "SELECT Id FROM Account WHERE NOT Name = 'a'",
        where(Not(Comparison(NAME, EQ, StringValue("a")))),
    ),
    (
        "SELECT Id FROM Account WHERE NOT (Name = 'a' OR Name = 'b')",
        where(
            Not(
                Or((Comparison(NAME, EQ, StringValue("a")), Comparison(NAME, EQ, StringValue("b"))))
            )
        ),
    ),
    (
        "SELECT Id FROM Account WHERE Owner.Profile.Name = 'System Administrator'",
        where(Comparison(f("Owner.Profile.Name"), EQ, StringValue("System Administrator"))),
    ),
    (
        "SELECT Id FROM Lead WHERE CALENDAR_YEAR(CreatedDate) = 2024",
        where(
            Comparison(
                DateFunctionCall(DateFunction.CALENDAR_YEAR, f("CreatedDate")),
                EQ,
                NumberValue(2024),
            ),
            "Lead",
        ),
    ),
]
CONDITION_CASES = [case for case in CONDITION_CASES if case[1] is not None]

CLAUSE_CASES = [
    ("SELECT Id FROM Account ORDER BY Name", Query((ID,), "Account", order_by=(OrderKey(NAME),))),
    (
        "SELECT Id FROM Account ORDER BY Name DESC NULLS LAST, CreatedDate asc nulls first, Id",
        Query(
            (ID,),
            "Account",
            order_by=(
                OrderKey(NAME, True, NullsOrder.LAST),
                OrderKey(f("CreatedDate"), False, NullsOrder.FIRST),
                OrderKey(ID),
            ),
        ),
    ),
    ("SELECT Id FROM Account LIMIT 10 OFFSET 20", Query((ID,), "Account", limit=10, offset=20)),
    ("SELECT Id FROM Account OFFSET 5", Query((ID,), "Account", offset=5)),
    (
        "SELECT Id FROM Account WITH SECURITY_ENFORCED",
        Query((ID,), "Account", with_clause=WithClause.SECURITY_ENFORCED),
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'x' WITH USER_MODE",
        Query(
            (ID,),
            "Account",
            where=Comparison(NAME, EQ, StringValue("x")),
            with_clause=WithClause.USER_MODE,
        ),
    ),
    ("SELECT Id FROM Account USING SCOPE Mine", Query((ID,), "Account", using_scope="mine")),
    (
        "SELECT Id FROM Account LIMIT 1 FOR VIEW",
        Query((ID,), "Account", limit=1, for_clauses=(ForClause.VIEW,)),
    ),
    (
        "SELECT Id FROM Account FOR REFERENCE",
        Query((ID,), "Account", for_clauses=(ForClause.REFERENCE,)),
    ),
    (
        "SELECT Id FROM Account FOR VIEW, REFERENCE",
        Query((ID,), "Account", for_clauses=(ForClause.VIEW, ForClause.REFERENCE)),
    ),
    (
        "SELECT Id FROM KnowledgeArticleVersion UPDATE TRACKING",
        Query((ID,), "KnowledgeArticleVersion", update_clause=UpdateClause.TRACKING),
    ),
    (
        "SELECT Id FROM Account WHERE Name = 'x' WITH SECURITY_ENFORCED GROUP BY Id "
        "HAVING COUNT(Id) > 0 ORDER BY Id LIMIT 1 OFFSET 0",
        Query(
            (ID,),
            "Account",
            where=Comparison(NAME, EQ, StringValue("x")),
            with_clause=WithClause.SECURITY_ENFORCED,
            group_by=(ID,),
            having=Comparison(
                Aggregate(AggregateFunction.COUNT, ID), ComparisonOperator.GT, NumberValue(0)
            ),
            order_by=(OrderKey(ID),),
            limit=1,
            offset=0,
        ),
    ),
]


@pytest.mark.parametrize(("soql", "expected"), SELECT_CASES + AGGREGATE_CASES)
def test_parse_select_list_builds_expected_query(soql: str, expected: Query) -> None:
    parsed = parse(soql)
    assert parsed == expected, f"{soql!r} parsed as {parsed!r}"


@pytest.mark.parametrize(("soql", "expected"), CONDITION_CASES)
def test_parse_where_builds_expected_condition(soql: str, expected: Query) -> None:
    parsed = parse(soql)
    assert parsed == expected, f"{soql!r} parsed as {parsed.where!r}"


@pytest.mark.parametrize(("soql", "expected"), CLAUSE_CASES)
def test_parse_clauses_build_expected_query(soql: str, expected: Query) -> None:
    parsed = parse(soql)
    assert parsed == expected, f"{soql!r} parsed as {parsed!r}"


@pytest.mark.parametrize(
    ("soql", "count_only", "aggregate"),
    [
        ("SELECT COUNT() FROM Contact", True, False),
        ("SELECT COUNT(Id) FROM Contact", False, True),
        ("SELECT Type FROM Account GROUP BY Type", False, True),
        ("SELECT Id, Name FROM Account", False, False),
        ("SELECT Id, (SELECT COUNT(Id) FROM Contacts) FROM Account", False, False),
    ],
)
def test_query_kind_flags_follow_select_list(soql: str, count_only: bool, aggregate: bool) -> None:
    parsed = parse(soql)
    seen = (parsed.is_count_only, parsed.is_aggregate)
    assert seen == (count_only, aggregate), f"{soql!r}: (count_only, aggregate) = {seen}"


@pytest.mark.parametrize(
    ("key", "nulls_first"),
    [
        (OrderKey(NAME), True),
        (OrderKey(NAME, descending=True), False),
        (OrderKey(NAME, descending=True, nulls=NullsOrder.FIRST), True),
        (OrderKey(NAME, nulls=NullsOrder.LAST), False),
    ],
)
def test_order_key_nulls_first_follows_salesforce_default(key: OrderKey, nulls_first: bool) -> None:
    assert key.nulls_first is nulls_first, f"{key!r}.nulls_first = {key.nulls_first}"


def test_parse_result_is_immutable() -> None:
    parsed = parse("SELECT Id FROM Account")
    with pytest.raises(AttributeError):
        parsed.sobject = "Contact"  # type: ignore[misc]
