"""`/query?q=...&columns=true`: the columns a query selects, instead of its rows.

Salesforce answers this for the Developer Console and the sf CLI: `sf data query` lays out its
table from `columnMetadata` (@salesforce/plugin-data, `retrieveColumns`). Parent fields nest in
their relationship's `joinColumns`; aggregates and child subqueries are `aggregate: true`.
Choices where Salesforce is undocumented: `insertable`/`updatable` come from the schema (not the
caller's field permissions), and an aggregate's `displayName` is its column name (`expr0` or the
alias), not the function text.
"""

from __future__ import annotations

from typing import Any

from mock_salesforce.schema import FieldDef, ObjectDef
from mock_salesforce.soql.outputs import ChildOut, Out, ParentOut, TypeOfOut, ValueOut
from mock_salesforce.soql.plan import AggregatePlan, CountPlan, Plan

APEX_TYPES = {
    "id": "Id",
    "reference": "Id",
    "boolean": "Boolean",
    "int": "Integer",
    "double": "Double",
    "percent": "Double",
    "currency": "Decimal",
    "date": "Date",
    "datetime": "Datetime",
    "time": "Time",
}
NUMBER_TYPES = frozenset({"int", "double", "percent", "currency"})


def column_metadata(plan: Plan, obj: ObjectDef) -> dict[str, Any]:
    """The `columns=true` answer for a compiled query on `obj`."""
    if isinstance(plan, CountPlan):
        columns: list[dict[str, Any]] = []
    elif isinstance(plan, AggregatePlan):
        columns = [_value(out, (), aggregate=not _is_grouped(out)) for out in plan.outputs]
    else:
        columns = _columns(plan.outputs, ())
    return {
        "columnMetadata": columns,
        "entityName": obj.name,
        "groupBy": isinstance(plan, AggregatePlan),
        "idSelected": any(c["columnName"] == "Id" for c in columns),
        "keyPrefix": obj.key_prefix,
    }


def _columns(outputs: tuple[Out, ...], path: tuple[str, ...]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for out in outputs:
        if isinstance(out, ValueOut):
            found.append(_value(out, path, aggregate=False))
        elif isinstance(out, ParentOut):
            found.append(_join(out.key, path, _columns(out.items, (*path, out.key))))
        elif isinstance(out, TypeOfOut):
            items = [o for _, branch in out.branches for o in branch] + list(out.default)
            unique = tuple({o.key.lower(): o for o in items}.values())
            found.append(_join(out.key, path, _columns(unique, (*path, out.key))))
        elif isinstance(out, ChildOut):
            joined = _columns(out.plan.outputs, ())
            found.append({**_join(out.key, path, joined), "aggregate": True})
    return found


def _is_grouped(out: ValueOut) -> bool:
    """A GROUP BY field is selected under its own name; an aggregate under `exprN` or an alias."""
    return out.field is not None and out.key == out.field.name


def _value(out: ValueOut, path: tuple[str, ...], aggregate: bool) -> dict[str, Any]:
    field: FieldDef | None = out.field
    kind = out.kind
    return _column(
        out.key,
        path,
        aggregate=aggregate,
        apex_type=APEX_TYPES.get(kind, "String"),
        boolean=kind == "boolean",
        number=kind in NUMBER_TYPES,
        text=field.is_text if field is not None else kind == "string",
        custom=field.custom if field is not None else False,
        insertable=bool(field and field.createable and not aggregate),
        updatable=bool(field and field.updateable and not aggregate),
    )


def _join(key: str, path: tuple[str, ...], joined: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_column(key, path, apex_type=None), "joinColumns": joined}


def _column(
    key: str,
    path: tuple[str, ...],
    *,
    apex_type: str | None,
    aggregate: bool = False,
    boolean: bool = False,
    number: bool = False,
    text: bool = False,
    custom: bool = False,
    insertable: bool = False,
    updatable: bool = False,
) -> dict[str, Any]:
    return {
        "aggregate": aggregate,
        "apexType": apex_type,
        "booleanType": boolean,
        "columnName": key,
        "custom": custom,
        "displayName": ".".join((*path, key)),
        "foreignKeyName": None,
        "insertable": insertable,
        "joinColumns": [],
        "numberType": number,
        "textType": text,
        "updatable": updatable,
    }
