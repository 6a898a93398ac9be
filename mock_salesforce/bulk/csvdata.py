"""CSV as the Bulk APIs read and write it.

Reading (Bulk API 2.0 guide, "Prepare CSV Files"): the first row names the fields; fields that
hold the delimiter, a line break or ``"`` are quoted and ``"`` doubled; an empty value leaves the
field alone, ``#N/A`` sets it to null; ``Account.External_Id__c`` sets a lookup through the
parent's external id, and ``Lead:Who.Email`` names the parent's object for a polymorphic lookup.

Writing: result files quote every value (``"0015g00000ABCDEAA4","true",...``); query results quote
the header too, write null as an empty quoted value and datetimes as ``2024-05-01T09:00:00.000Z``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..schema import FieldDef, ObjectDef
from ..schema.values import parse_date, parse_datetime

DELIMITERS = {
    "BACKQUOTE": "`",
    "CARET": "^",
    "COMMA": ",",
    "PIPE": "|",
    "SEMICOLON": ";",
    "TAB": "\t",
}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}
NULL_TOKEN = "#N/A"


class InvalidBatch(Exception):
    """A problem with the file as a whole: the job (or batch) fails with ``InvalidBatch : ...``."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    @property
    def state_message(self) -> str:
        return f"InvalidBatch : {self.message}"


class ValueProblem(Exception):
    """One value that cannot be read as its field's type (a row error)."""

    def __init__(self, column: int, value: str, fdef: FieldDef) -> None:
        kind = {"datetime": "dateTime", "int": "int", "currency": "double", "percent": "double"}
        self.fdef = fdef
        self.message = (
            f"Failed to deserialize field at col {column}. Due to, '{value}' is not a valid "
            f"value for the type xsd:{kind.get(fdef.type, fdef.type)}"
        )
        super().__init__(self.message)


def read_rows(text: str, delimiter: str = "COMMA") -> list[list[str]]:
    """All rows of a CSV text (header included); a byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[delimiter], strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidBatch(f"Unable to parse CSV: {exc}") from None
    if rows and len(rows[0]) == 1:
        # One column: an empty value is an empty line, and it is still a row (jsforce writes
        # ``Name\nOne\n\n`` for a second record without a Name).
        return [row or [""] for row in rows]
    return [row for row in rows if row != []]


def write_rows(rows: Iterable[Sequence[Any]], delimiter: str = "COMMA", line: str = "LF") -> str:
    """Rows with every value quoted (``None`` as an empty value)."""
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=DELIMITERS[delimiter],
        lineterminator=LINE_ENDINGS[line],
        quoting=csv.QUOTE_ALL,
    )
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def plain_header(names: Sequence[str], delimiter: str = "COMMA") -> str:
    """The uploaded column names as they were sent (quoted only where CSV needs it)."""
    out = io.StringIO()
    csv.writer(out, delimiter=DELIMITERS[delimiter], lineterminator="").writerow(list(names))
    return out.getvalue()


@dataclass(frozen=True)
class Column:
    """One header column resolved against the object: a field, or a lookup through a parent."""

    name: str
    field: FieldDef
    parent_field: str | None = None
    parent_type: str | None = None


def resolve_header(obj: ObjectDef, header: Sequence[str], readable: Any) -> list[Column]:
    """The header's columns; ``InvalidBatch : Field name not found : X`` for unknown ones.

    ``readable(obj, fdef)`` says whether the job's user may see a field: one they cannot is not
    found, as in the REST API.
    """
    columns: list[Column] = []
    seen: set[str] = set()
    for name in header:
        column = _column(obj, name.strip(), readable)
        key = column.name.lower()
        if key in seen:
            raise InvalidBatch(f"Duplicate field name: {name}")
        seen.add(key)
        columns.append(column)
    return columns


def _column(obj: ObjectDef, name: str, readable: Any) -> Column:
    if "." in name:
        relation, _, parent_field = name.partition(".")
        parent_type, _, relation = relation.rpartition(":")
        fdef = obj.relationship(relation)
        if fdef is None or not parent_field or "." in parent_field or not readable(obj, fdef):
            raise InvalidBatch(f"Field name not found : {name}")
        return Column(name, fdef, parent_field, parent_type or None)
    fdef = obj.field(name)
    if fdef is None or not readable(obj, fdef):
        raise InvalidBatch(f"Field name not found : {name}")
    return Column(name, fdef)


def record_from_row(columns: Sequence[Column], row: Sequence[str]) -> dict[str, Any]:
    """A write body for the records/ DML from one CSV row (values typed for their fields)."""
    record: dict[str, Any] = {}
    for index, (column, raw) in enumerate(zip(columns, row, strict=False)):
        if raw == "":
            continue
        if column.parent_field is not None:
            if raw == NULL_TOKEN:
                record[column.field.name] = None
                continue
            assert column.field.relationship_name is not None
            parent: dict[str, Any] = {column.parent_field: raw}
            if column.parent_type:
                parent["attributes"] = {"type": column.parent_type}
            record[column.field.relationship_name] = parent
            continue
        record[column.field.name] = None if raw == NULL_TOKEN else typed(column.field, raw, index)
    return record


def typed(fdef: FieldDef, raw: str, index: int) -> Any:
    """A CSV text as its field's JSON value (``ValueProblem`` when it is not one)."""
    kind = fdef.type
    try:
        if kind == "boolean":
            lowered = raw.strip().lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ValueError(raw)
            return lowered in ("true", "1")
        if kind == "int":
            number = float(raw)
            if not number.is_integer():
                raise ValueError(raw)
            return int(number)
        if kind in ("double", "currency", "percent"):
            return float(raw)
        if kind == "date":
            return parse_date(raw).isoformat()
        if kind == "datetime":
            parse_datetime(raw)
            return raw.strip()
    except (ValueError, OverflowError):
        raise ValueProblem(index, raw, fdef) from None
    return raw


def csv_value(value: Any, kind: str | None) -> str:
    """A query result value as Bulk writes it: empty for null, ``true``/``false``, ISO ``Z``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "Datetime" and isinstance(value, str) and value.endswith("+0000"):
        return value[: -len("+0000")] + "Z"
    if isinstance(value, float) and value.is_integer() and kind in ("Integer",):
        return str(int(value))
    return str(value)
