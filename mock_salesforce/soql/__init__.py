"""The SOQL engine: nothing else in the app reads SOQL text.

Public entry points:

- `parse(soql) -> Query`: text to a typed, frozen query (raises `MalformedQuery`)
- `engine.execute(caller, soql, *, include_deleted, version, batch_size) -> QueryResult`
- `engine.next_page(caller, "<locator>-<offset>", *, version) -> QueryResult`
- `engine.explain_query(caller, soql) -> dict`
- `resolve_date_literal(literal, now, calendar=None) -> DateRange`

`docs/soql.md` lists what is supported.
"""

from __future__ import annotations

from mock_salesforce.soql.dates import Calendar, DateRange, resolve_date_literal
from mock_salesforce.soql.errors import MalformedQuery, SoqlError
from mock_salesforce.soql.parser import parse

__all__ = [
    "Calendar",
    "DateRange",
    "MalformedQuery",
    "SoqlError",
    "parse",
    "resolve_date_literal",
]
