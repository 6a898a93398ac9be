"""Bulk queries: the SOQL engine run as the job's user, flattened to columns.

Bulk API 2.0 refuses what it cannot stream (Bulk API 2.0 guide, "SOQL Considerations"):
``GROUP BY``, ``OFFSET``, ``TYPEOF``, aggregate functions, ``FIELDS()`` and parent-to-child
subqueries. Bulk 1.0 has the same limits except that it allows relationship queries; the mock
applies one rule to both. Columns come in SELECT order (v50+), parent fields as
``Account.Name``. The query is checked when the job is created (a bad one answers 400 with the
REST API's own error) and run when the job runs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from ..records.context import Caller
from ..soql import engine, nodes
from ..soql.errors import MalformedQuery
from ..soql.parser import parse

UNSUPPORTED = "is not supported by the Bulk API"


@dataclass(frozen=True)
class Columns:
    """The flat columns of a query: ``Account.Name`` paths and their Apex types."""

    sobject: str
    paths: list[str]
    types: list[str | None]


def check(caller: Caller, soql: str) -> Columns:
    """The columns of ``soql``; MALFORMED_QUERY naming what Bulk queries do not support."""
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    query = parse(soql)
    _refuse_unsupported(query)
    metadata = engine.query_columns(caller.session, soql)
    paths: list[str] = []
    types: list[str | None] = []
    _flatten(metadata["columnMetadata"], "", paths, types)
    return Columns(str(metadata["entityName"]), paths, types)


def _refuse_unsupported(query: nodes.Query) -> None:
    if query.group_by:
        raise MalformedQuery(f"GROUP BY {UNSUPPORTED}")
    if query.offset is not None:
        raise MalformedQuery(f"OFFSET {UNSUPPORTED}")
    if query.is_aggregate or query.is_count_only:
        raise MalformedQuery(f"Aggregate queries {UNSUPPORTED}")
    for item in query.select:
        if isinstance(item, nodes.TypeOf):
            raise MalformedQuery(f"TYPEOF {UNSUPPORTED}")
        if isinstance(item, nodes.ChildQuery):
            raise MalformedQuery(f"Parent-to-child subqueries {UNSUPPORTED}")
        if isinstance(item, nodes.FieldsMacro):
            raise MalformedQuery(f"FIELDS() {UNSUPPORTED}")


def _flatten(
    columns: list[dict[str, Any]], prefix: str, paths: list[str], types: list[Any]
) -> None:
    for column in columns:
        name = prefix + str(column["columnName"])
        if column["joinColumns"]:
            _flatten(column["joinColumns"], name + ".", paths, types)
        else:
            paths.append(name)
            types.append(column["apexType"])


def run(
    caller: Caller, soql: str, include_deleted: bool
) -> tuple[Columns, list[list[Any]], list[dict[str, Any]]]:
    """Every row of ``soql`` (``queryAll`` includes deleted rows): the flat values per column
    and the records as the REST API shapes them."""
    columns = check(caller, soql)
    result = engine.execute(
        caller.session,
        soql,
        include_deleted=include_deleted,
        version=caller.version,
        batch_size=1 << 30,
    )
    rows = [[_value_at(record, path) for path in columns.paths] for record in result.records]
    return columns, rows, result.records


def _value_at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
    return value


def encode_locator(offset: int) -> str:
    """A locator as Salesforce writes them since v49: base64 of the offset, unpadded."""
    return base64.b64encode(str(offset).encode()).decode().rstrip("=")


def decode_locator(locator: str) -> int | None:
    """The offset behind a locator this mock handed out, or None."""
    try:
        text = base64.b64decode(locator + "=" * (-len(locator) % 4), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
