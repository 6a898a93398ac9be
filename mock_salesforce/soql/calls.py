"""Function calls (`COUNT(Id)`, `FIELDS(ALL)`, `CALENDAR_YEAR(CreatedDate)`, ...) classified.

The grammar parses every `name(args)` alike; this module decides what each one means where
it appears, so function names never have to be reserved words.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token

from mock_salesforce.soql.nodes import (
    Aggregate,
    AggregateFunction,
    DateFunction,
    DateFunctionCall,
    FieldFunction,
    FieldFunctionCall,
    FieldPath,
    FieldsKind,
    FieldsMacro,
    Operand,
    SelectItem,
)

_AGGREGATES = {function.value: function for function in AggregateFunction}
_DATE_FUNCTIONS = {function.value: function for function in DateFunction}
_FIELD_FUNCTIONS = {function.value: function for function in FieldFunction}
_UNSUPPORTED = frozenset({"DISTANCE", "GEOLOCATION", "ROLLUP", "CUBE", "GROUPING"})


@dataclass(frozen=True, slots=True)
class Call:
    """`name(args)` as parsed, before it is given a meaning; `name` keeps its position."""

    name: Token
    args: tuple[FieldPath | Call | Token, ...]

    @property
    def upper_name(self) -> str:
        return str(self.name).upper()


class CallError(ValueError):
    """A call that cannot mean anything here; `token` is where to point the caret."""

    def __init__(self, token: Token, reason: str) -> None:
        super().__init__(reason)
        self.token = token
        self.reason = reason


def select_item_from_call(call: Call, alias: Token | None) -> SelectItem:
    """What `name(args) [alias]` means in a SELECT list."""
    alias_text = str(alias) if alias is not None else None
    if call.upper_name == "FIELDS":
        if alias is not None:
            raise CallError(alias, f"unexpected token: '{alias}'")
        return _fields_macro(call)
    return operand_from_call(call, alias_text)


def operand_from_call(call: Call, alias: str | None = None) -> Operand:
    """What `name(args)` means where a value is read: WHERE, GROUP BY, HAVING, ORDER BY."""
    name = call.upper_name
    if name in _AGGREGATES:
        return _aggregate(call, _AGGREGATES[name], alias)
    if name in _DATE_FUNCTIONS:
        return _date_function(call, _DATE_FUNCTIONS[name], alias)
    if name in _FIELD_FUNCTIONS:
        return _field_function(call, _FIELD_FUNCTIONS[name], alias)
    if name == "FIELDS":
        raise CallError(call.name, "FIELDS() can only be used in the SELECT list")
    if name in _UNSUPPORTED:
        raise CallError(call.name, f"{name}() is not supported by this mock")
    raise CallError(call.name, f"Unknown function: {call.name}")


def _single_field(call: Call) -> FieldPath:
    if len(call.args) != 1 or not isinstance(call.args[0], FieldPath):
        raise CallError(call.name, f"{call.upper_name}() takes exactly one field name")
    return call.args[0]


def _aggregate(call: Call, function: AggregateFunction, alias: str | None) -> Aggregate:
    if function is AggregateFunction.COUNT and not call.args:
        return Aggregate(function, None, alias)
    return Aggregate(function, _single_field(call), alias)


def _date_function(call: Call, function: DateFunction, alias: str | None) -> DateFunctionCall:
    argument = call.args[0] if len(call.args) == 1 else None
    if isinstance(argument, Call) and argument.upper_name == "CONVERTTIMEZONE":
        return DateFunctionCall(function, _single_field(argument), True, alias)
    return DateFunctionCall(function, _single_field(call), False, alias)


def _field_function(call: Call, function: FieldFunction, alias: str | None) -> FieldFunctionCall:
    argument = call.args[0] if len(call.args) == 1 else None
    if isinstance(argument, Call) and argument.upper_name in _AGGREGATES:
        inner = _aggregate(argument, _AGGREGATES[argument.upper_name], None)
        return FieldFunctionCall(function, inner, alias)
    return FieldFunctionCall(function, _single_field(call), alias)


def _fields_macro(call: Call) -> FieldsMacro:
    argument = call.args[0] if len(call.args) == 1 else None
    if isinstance(argument, FieldPath) and len(argument.parts) == 1:
        kind = argument.name.upper()
        if kind in FieldsKind.__members__:
            return FieldsMacro(FieldsKind[kind])
    raise CallError(call.name, "FIELDS() takes ALL, STANDARD or CUSTOM")
