"""The SOQL engine: parse text into a typed query; nothing else in the app reads SOQL text.

Public entry points:

- `parse(soql) -> Query` (raises `MalformedQuery`)
- `resolve_date_literal(literal, now, calendar=None) -> DateRange`
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
