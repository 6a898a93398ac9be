"""Literal values checked against the type of what they are compared with, in storage form.

Salesforce refuses a literal of the wrong type with MALFORMED_QUERY ("value of filter
criterion for field 'X' must be of type dateTime and should not be enclosed in quotes") and a
malformed id with INVALID_QUERY_FILTER_OPERATOR ("invalid ID field: abc").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mock_salesforce import ids
from mock_salesforce.schema.values import format_datetime
from mock_salesforce.soql.dates import DateRange, resolve_date_literal
from mock_salesforce.soql.errors import InvalidQueryFilterOperator, MalformedQuery
from mock_salesforce.soql.expressions import NUMERIC_KINDS, Expr
from mock_salesforce.soql.nodes import (
    BooleanValue,
    ComparisonOperator,
    DateTimeValue,
    DateValue,
    NumberValue,
    RelativeDate,
    StringValue,
    Value,
)
from mock_salesforce.soql.scope import Context

_TYPE_NAMES = {"datetime": "dateTime", "currency": "double", "percent": "double"}


def sql_value(left: Expr, value: Value) -> Any:
    """The parameter to compare `left` with, or the error Salesforce gives for that pair."""
    kind = left.kind
    if kind in ("id", "reference"):
        return _id_value(value)
    if kind == "boolean" and isinstance(value, BooleanValue):
        return int(value.value)
    if kind in NUMERIC_KINDS and isinstance(value, NumberValue):
        return value.value if isinstance(value.value, int) else float(value.value)
    if kind == "date" and isinstance(value, DateValue):
        return value.value.isoformat()
    if kind == "datetime" and isinstance(value, DateTimeValue):
        return format_datetime(value.value)
    if kind not in NUMERIC_KINDS | {"boolean", "date", "datetime"}:
        if isinstance(value, StringValue):
            return value.value
        raise _wrong_type(left, "string", quoted=True)
    raise _wrong_type(left, _TYPE_NAMES.get(kind, kind), quoted=False)


def _id_value(value: Value) -> str:
    if not isinstance(value, StringValue):
        raise MalformedQuery("invalid ID field: value of filter criterion must be a quoted id")
    normalized = ids.normalize(value.value)
    if normalized is None:
        raise InvalidQueryFilterOperator(f"invalid ID field: {value.value}")
    return normalized


def _wrong_type(left: Expr, type_name: str, quoted: bool) -> MalformedQuery:
    quotes = "should be enclosed in quotes" if quoted else "should not be enclosed in quotes"
    return MalformedQuery(
        f"value of filter criterion for field '{left.name}' must be of type {type_name} "
        f"and {quotes}"
    )


def date_bounds(
    left: Expr, operator: ComparisonOperator, literal: RelativeDate, ctx: Context
) -> tuple[str, list[Any]]:
    """A date literal as a range test: `=` inside it, `<` before it, `>` after it."""
    if left.kind not in ("date", "datetime"):
        raise _wrong_type(left, _TYPE_NAMES.get(left.kind, left.kind), quoted=False)
    try:
        span = resolve_date_literal(literal, ctx.now, ctx.calendar)
    except (OverflowError, ValueError) as exc:
        raise MalformedQuery(f"{literal.name}:{literal.n} reaches past the calendar") from exc
    if left.kind == "date":
        start, end = span.first_day.isoformat(), _next_day(span)
    else:
        start, end = format_datetime(span.start), format_datetime(span.end)
    x = left.sql
    if operator is ComparisonOperator.EQ:
        return f"({x} >= ? AND {x} < ?)", [start, end]
    if operator is ComparisonOperator.NE:
        return f"({x} IS NULL OR {x} < ? OR {x} >= ?)", [start, end]
    if operator is ComparisonOperator.LT:
        return f"{x} < ?", [start]
    if operator is ComparisonOperator.LE:
        return f"{x} < ?", [end]
    if operator is ComparisonOperator.GT:
        return f"{x} >= ?", [end]
    return f"{x} >= ?", [start]


def _next_day(span: DateRange) -> str:
    return (span.last_day + timedelta(days=1)).isoformat()
