"""Operands (fields, aggregates, date functions) compiled to SQL expressions over a Scope.

Stored values follow the store's conventions: datetimes as `YYYY-MM-DDTHH:MM:SS.000+0000`
text in UTC, dates as `YYYY-MM-DD`, booleans 0/1. Date functions read those texts directly
and, like Salesforce without `convertTimezone()`, work in UTC (SOQL reference, "Date
Functions"). `convertTimezone(field)` inside a date function first turns the UTC text into the
running user's wall-clock time (`LOCAL_TIME_SQL`, a function the engine installs on the org's
connection), so `HOUR_IN_DAY(convertTimezone(CreatedDate))` is the user's hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mock_salesforce.schema import FieldDef
from mock_salesforce.schema.values import parse_datetime
from mock_salesforce.soql.errors import InvalidField, MalformedQuery
from mock_salesforce.soql.nodes import (
    Aggregate,
    AggregateFunction,
    DateFunction,
    DateFunctionCall,
    FieldFunctionCall,
    FieldPath,
    Operand,
)
from mock_salesforce.soql.scope import Column, Scope

NUMERIC_KINDS = frozenset({"int", "double", "currency", "percent"})
DATE_KINDS = frozenset({"date", "datetime"})

_YEAR = "CAST(substr({x}, 1, 4) AS INTEGER)"
_MONTH = "CAST(substr({x}, 6, 2) AS INTEGER)"
_DAY = "CAST(substr({x}, 9, 2) AS INTEGER)"
_DAY_OF_YEAR = "CAST(strftime('%j', substr({x}, 1, 10)) AS INTEGER)"
_DATE_SQL = {
    DateFunction.CALENDAR_YEAR: _YEAR,
    DateFunction.CALENDAR_MONTH: _MONTH,
    DateFunction.CALENDAR_QUARTER: f"(({_MONTH} + 2) / 3)",
    DateFunction.DAY_IN_MONTH: _DAY,
    DateFunction.DAY_IN_WEEK: "(CAST(strftime('%w', substr({x}, 1, 10)) AS INTEGER) + 1)",
    DateFunction.DAY_IN_YEAR: _DAY_OF_YEAR,
    DateFunction.DAY_ONLY: "substr({x}, 1, 10)",
    # A new org's fiscal year is the calendar year.
    DateFunction.FISCAL_MONTH: _MONTH,
    DateFunction.FISCAL_QUARTER: f"(({_MONTH} + 2) / 3)",
    DateFunction.FISCAL_YEAR: _YEAR,
    DateFunction.HOUR_IN_DAY: "CAST(substr({x}, 12, 2) AS INTEGER)",
    DateFunction.WEEK_IN_MONTH: f"((({_DAY}) - 1) / 7 + 1)",
    DateFunction.WEEK_IN_YEAR: f"((({_DAY_OF_YEAR}) - 1) / 7 + 1)",
}


_DATETIME_ONLY = frozenset({DateFunction.HOUR_IN_DAY, DateFunction.DAY_ONLY})
LOCAL_TIME_SQL = "sf_local_time"


def zone_key(tz: tzinfo) -> str:
    """The IANA name of a user's time zone (`America/Los_Angeles`; UTC when none)."""
    return str(getattr(tz, "key", "UTC"))


def local_time(stored: str | None, zone: str) -> str | None:
    """`2024-01-01T02:30:00.000+0000` as wall-clock text in `zone` (`2023-12-31T18:30:00`)."""
    if stored is None:
        return None
    try:
        moment = parse_datetime(stored)
        return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%S")
    except (ValueError, ZoneInfoNotFoundError):
        return None


@dataclass(frozen=True)
class Expr:
    """A compiled operand: SQL, the Salesforce type of its value, and the field it reads."""

    sql: str
    kind: str
    name: str
    field: FieldDef | None = None
    nocase: bool = False
    column: Column | None = None


LONG_TEXT_LENGTH = 255


def usable_for(expr: Expr, use: str) -> Expr:
    """`expr`, unless its field cannot be `use`d ("filtered", "sorted", "grouped").

    Long text areas can be none of these and multi-select picklists can only be filtered:
    INVALID_FIELD "field 'Description' can not be sorted in a query call".
    """
    fdef = expr.field
    if fdef is None or expr.column is None:
        return expr
    long_text = fdef.type == "textarea" and fdef.length > LONG_TEXT_LENGTH
    if long_text or (fdef.type == "multipicklist" and use != "filtered"):
        raise InvalidField(f"field '{fdef.name}' can not be {use} in a query call", fields=None)
    return expr


def sort_key_sql(expr: Expr) -> str:
    """What ORDER BY sorts on: picklists in their defined value order, text ignoring case.

    Salesforce sorts a picklist by the order of its values in Setup, not alphabetically
    (SOQL reference, "ORDER BY"); values outside the list come after them.
    """
    fdef = expr.field
    if fdef is not None and fdef.type == "picklist" and fdef.picklist and expr.column:
        whens = " ".join(
            f"WHEN {expr.sql} = {_sql_text(value)} COLLATE NOCASE THEN {index}"
            for index, value in enumerate(fdef.picklist)
        )
        fallback = len(fdef.picklist)
        return f"CASE WHEN {expr.sql} IS NULL THEN NULL {whens} ELSE {fallback} END"
    return f"{expr.sql} COLLATE NOCASE" if expr.nocase else expr.sql


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def operand_expr(operand: Operand, scope: Scope) -> Expr:
    if isinstance(operand, FieldPath):
        column = scope.column(operand)
        nocase = column.needs_nocase or column.is_type
        return Expr(column.sql, column.field.type, column.name, column.field, nocase, column)
    if isinstance(operand, Aggregate):
        return aggregate_expr(operand, scope)
    if isinstance(operand, DateFunctionCall):
        return date_function_expr(operand, scope)
    return field_function_expr(operand, scope)


def aggregate_expr(aggregate: Aggregate, scope: Scope) -> Expr:
    function = aggregate.function
    if aggregate.field is None:
        return Expr("COUNT(*)", "int", "COUNT")
    inner = operand_expr(aggregate.field, scope)
    if function is AggregateFunction.COUNT:
        return Expr(f"COUNT({inner.sql})", "int", inner.name)
    if function is AggregateFunction.COUNT_DISTINCT:
        return Expr(f"COUNT(DISTINCT {inner.sql})", "int", inner.name)
    if function in (AggregateFunction.SUM, AggregateFunction.AVG):
        if inner.kind not in NUMERIC_KINDS:
            raise MalformedQuery(
                f"field {inner.name} does not support aggregate operator {function.value}"
            )
        kind = "int" if function is AggregateFunction.SUM and inner.kind == "int" else "double"
        return Expr(f"{function.value}({inner.sql})", kind, inner.name)
    if inner.kind in ("boolean", "multipicklist", "textarea"):
        raise MalformedQuery(
            f"field {inner.name} does not support aggregate operator {function.value}"
        )
    return Expr(f"{function.value}({inner.sql})", inner.kind, inner.name, inner.field)


def date_function_expr(call: DateFunctionCall, scope: Scope) -> Expr:
    inner = operand_expr(call.field, scope)
    if inner.kind not in DATE_KINDS:
        raise MalformedQuery(
            f"{call.function.value} can only be used with date or dateTime fields: {inner.name}"
        )
    if call.function in _DATETIME_ONLY and inner.kind != "datetime":
        raise MalformedQuery(
            f"{call.function.value} can only be used with dateTime fields: {inner.name}"
        )
    value = inner.sql
    if call.convert_timezone:
        if inner.kind != "datetime":
            raise MalformedQuery(
                f"convertTimezone can only be used with dateTime fields: {inner.name}"
            )
        value = f"{LOCAL_TIME_SQL}({inner.sql}, {_sql_text(zone_key(scope.ctx.calendar.tz))})"
    sql = _DATE_SQL[call.function].format(x=value)
    kind = "date" if call.function is DateFunction.DAY_ONLY else "int"
    return Expr(sql, kind, inner.name)


def field_function_expr(call: FieldFunctionCall, scope: Scope) -> Expr:
    """toLabel(), FORMAT() and convertCurrency(): the mock's labels and currency are the values."""
    return operand_expr(call.argument, scope)
