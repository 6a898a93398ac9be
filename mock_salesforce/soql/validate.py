"""Checks that need the whole statement but no schema (Salesforce answers MALFORMED_QUERY)."""

from __future__ import annotations

from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.nodes import (
    Aggregate,
    ChildQuery,
    DateFunctionCall,
    FieldFunctionCall,
    FieldPath,
    FieldsKind,
    FieldsMacro,
    Operand,
    Query,
    SelectItem,
    TypeOf,
)

# FIELDS(ALL) and FIELDS(CUSTOM) are bounded in the REST API ("FIELDS()", SOQL reference).
_FIELDS_LIMIT = 200


def validate_query(query: Query) -> None:
    """Raise MalformedQuery for statements Salesforce would refuse whatever the schema."""
    _check_count_star(query)
    _check_fields_macro(query)
    if query.having is not None and not query.is_aggregate:
        raise MalformedQuery("HAVING can only be used in an aggregate query or with GROUP BY")
    if query.is_aggregate:
        _check_grouping(query)


def validate_semi_join(subquery: Query) -> None:
    """A semi-join or anti-join subquery selects exactly one plain field."""
    if len(subquery.select) != 1 or not isinstance(subquery.select[0], FieldPath):
        raise MalformedQuery(
            f"The inner select of a semi-join or anti-join on {subquery.sobject} "
            "must select exactly one field"
        )


def _check_count_star(query: Query) -> None:
    counts = [item for item in query.select if isinstance(item, Aggregate) and item.is_count_star]
    if counts and len(query.select) > 1:
        raise MalformedQuery("COUNT() must be the only element in the SELECT list")


def _check_fields_macro(query: Query) -> None:
    bounded = query.limit is not None and query.limit <= _FIELDS_LIMIT
    for item in query.select:
        if isinstance(item, FieldsMacro) and item.kind is not FieldsKind.STANDARD and not bounded:
            raise MalformedQuery(
                f"The SOQL FIELDS function must have a LIMIT of at most {_FIELDS_LIMIT}"
            )


def _check_grouping(query: Query) -> None:
    grouped = {_operand_key(operand) for operand in query.group_by}
    for item in query.select:
        if isinstance(item, FieldsMacro | TypeOf | ChildQuery):
            raise MalformedQuery(f"{_describe(item)} cannot be used in an aggregate query")
        key = _grouping_key(item)
        if key is not None and key not in grouped:
            raise MalformedQuery(f"Field must be grouped or aggregated: {_display(item)}")


def _grouping_key(item: SelectItem) -> str | None:
    """What must appear in GROUP BY for this item, or None when it is an aggregate."""
    if isinstance(item, FieldPath | DateFunctionCall):
        return _operand_key(item)
    if isinstance(item, FieldFunctionCall) and isinstance(item.argument, FieldPath):
        return _operand_key(item.argument)
    return None


def _operand_key(operand: Operand) -> str:
    if isinstance(operand, FieldPath):
        return operand.dotted.upper()
    if isinstance(operand, DateFunctionCall):
        # GROUP BY must repeat the whole expression, convertTimezone() included.
        field = operand.field.dotted.upper()
        field = f"CONVERTTIMEZONE({field})" if operand.convert_timezone else field
        return f"{operand.function.value}({field})"
    if isinstance(operand, FieldFunctionCall):
        return _operand_key(operand.argument)
    field = operand.field.dotted.upper() if operand.field else ""
    return f"{operand.function.value}({field})"


def _display(item: SelectItem) -> str:
    if isinstance(item, FieldPath):
        return item.dotted
    if isinstance(item, DateFunctionCall):
        return item.field.dotted
    if isinstance(item, FieldFunctionCall) and isinstance(item.argument, FieldPath):
        return item.argument.dotted
    return type(item).__name__


def _describe(item: FieldsMacro | TypeOf | ChildQuery) -> str:
    if isinstance(item, FieldsMacro):
        return f"FIELDS({item.kind.value})"
    if isinstance(item, TypeOf):
        return "TYPEOF"
    return "A child relationship subquery"
