"""Indexes on fields that may be blank leave the blank rows out (as Salesforce's standard
indexes do), and selective SOQL filters on those fields are still answered from the index."""

from __future__ import annotations

from typing import Any

import pytest

from mock_salesforce.store.ddl import index_sql
from tests.unit.soql.conftest import Dataset, strip


def _plans(dataset: Dataset, soql: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The query's records, and SQLite's plan of every SELECT the engine ran for it."""
    conn = dataset.store.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        records = strip(dataset.caller("admin").query(soql).records)
    finally:
        conn.set_trace_callback(None)
    plans = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT") and '"Contact"' in sql:
            # The traced text has its parameters filled in: plan it as it ran.
            plans += [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    return records, plans


@pytest.mark.parametrize(
    ("soql", "index", "expected"),
    [
        (
            "SELECT Email FROM Contact WHERE Email = 'bob@acme.com'",
            "ix_Contact_Email",
            [{"Email": "bob@acme.com"}],
        ),
        (
            "SELECT Email FROM Contact WHERE Email IN ('bob@acme.com', 'nobody@x.org')",
            "ix_Contact_Email",
            [{"Email": "bob@acme.com"}],
        ),
        (
            "SELECT Email FROM Contact WHERE Email LIKE 'carol%'",
            "ix_Contact_Email",
            [{"Email": "carol_x@globex.com"}],
        ),
        (
            "SELECT LastName FROM Contact WHERE AccountId IN "
            "(SELECT Id FROM Account WHERE Name = 'Globex')",
            "ix_Contact_AccountId",
            [{"LastName": "O'Hara"}],
        ),
    ],
)
def test_a_selective_filter_on_a_field_that_may_be_blank_is_answered_from_its_index(
    dataset: Dataset, soql: str, index: str, expected: list[dict[str, Any]]
) -> None:
    records, plans = _plans(dataset, soql)
    assert records == expected, f"{soql!r} returned {records}"
    assert any(f"USING INDEX {index} " in plan for plan in plans), f"{soql!r} planned as {plans}"


def test_blank_values_are_still_found_and_sorted_first(dataset: Dataset) -> None:
    caller = dataset.caller("admin")
    blank = strip(caller.query("SELECT LastName FROM Contact WHERE Email = null").records)
    assert blank == [{"LastName": "dan"}], blank
    ordered = strip(caller.query("SELECT LastName FROM Contact ORDER BY Email, LastName").records)
    assert [row["LastName"] for row in ordered] == ["dan", "Smith", "Jones", "O'Hara"], ordered


def test_only_fields_that_may_be_blank_leave_blank_rows_out_of_their_index(
    dataset: Dataset,
) -> None:
    contact = dataset.store.schema.object("Contact")
    assert contact is not None
    fields = {name: contact.field(name) for name in ("Email", "OwnerId", "Name")}
    sql = {name: index_sql(contact, field) for name, field in fields.items() if field is not None}
    assert sql["Email"].endswith('WHERE "Email" IS NOT NULL'), sql
    assert "WHERE" not in sql["OwnerId"], sql  # never blank: sorting by owner uses the index
    assert "WHERE" not in sql["Name"], sql  # kept whole: sorting by name reads it in order
    made = dataset.store.query("SELECT sql FROM sqlite_master WHERE name = 'ix_Contact_Email'")[0][
        "sql"
    ]
    assert made.endswith('WHERE "Email" IS NOT NULL'), made
