"""Reading records: by id, by external id, and the replication windows (updated / deleted).

A record is rendered with ``attributes {type, url}`` (the request's API version in the URL)
and every field the user can read, unset ones as ``null`` (REST API Developer Guide, "sObject
Rows").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import errors
from ..schema import FieldDef, ObjectDef
from ..schema.values import format_datetime, parse_datetime
from ..store.ddl import quote
from .context import Caller, readable_object, record_id_in_url, visible_row


def render(
    caller: Caller, obj: ObjectDef, row: dict[str, Any], fields: Sequence[FieldDef]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "attributes": {"type": obj.name, "url": caller.record_url(obj, str(row["Id"]))}
    }
    for fdef in fields:
        record[fdef.name] = row.get(fdef.name)
    return record


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def selected_fields(
    caller: Caller, obj: ObjectDef, names: str | Sequence[str] | None
) -> list[FieldDef]:
    """The fields of ``?fields=A,B`` (every readable field when absent); INVALID_FIELD else."""
    if not names:
        return caller.perms.readable_fields(obj)
    wanted = names.split(",") if isinstance(names, str) else _as_list(names)
    chosen: list[FieldDef] = []
    for name in (str(n).strip() for n in wanted):
        fdef = obj.field(name)
        if fdef is None or not caller.perms.can_read_field(obj, fdef):
            raise errors.InvalidField(
                f"No such column '{name}' on entity '{obj.name}'. If you are attempting to use a "
                "custom field, be sure to append the '__c' after the custom field name. Please "
                "reference your WSDL or the describe call for the appropriate names."
            )
        if fdef not in chosen:
            chosen.append(fdef)
    return chosen


def with_id(obj: ObjectDef, fields: list[FieldDef]) -> list[FieldDef]:
    """A record GET with ``?fields=`` still carries ``Id``, after the fields asked for (REST
    guide, "Get Field Values from a Standard Object Record")."""
    id_field = obj.field("Id")
    if id_field is None or id_field in fields:
        return fields
    return [*fields, id_field]


@dataclass
class FoundRecord:
    id: str
    body: dict[str, Any]
    last_modified: str


def retrieve(caller: Caller, sobject: str, raw_id: str, fields: str | None = None) -> FoundRecord:
    obj = readable_object(caller, sobject)
    record_id = record_id_in_url(obj, raw_id, writing=False)
    row = visible_row(caller, obj, record_id)
    chosen = with_id(obj, selected_fields(caller, obj, fields))
    modified = str(row.get("LastModifiedDate") or "")
    return FoundRecord(record_id, render(caller, obj, row, chosen), modified)


def external_id_field(caller: Caller, obj: ObjectDef, name: str) -> FieldDef:
    """An external id field (or Id) the user can read; NOT_FOUND with Salesforce's words else."""
    fdef = obj.field(name)
    usable = fdef is not None and (fdef.external_id or fdef.name == "Id")
    if fdef is None or not usable or not caller.perms.can_read_field(obj, fdef):
        raise errors.NotFound(
            f"Provided external ID field does not exist or is not accessible: {name}"
        )
    return fdef


def match_external_id(
    caller: Caller, obj: ObjectDef, fdef: FieldDef, value: str
) -> list[dict[str, Any]]:
    """The visible, live rows whose ``fdef`` equals ``value`` (text compares without case)."""
    store = caller.store
    condition, params = caller.security.visibility_sql(caller.perms, obj, "r")
    rows = store.query(
        f"SELECT r.* FROM {quote(obj.name)} r WHERE r.{quote(fdef.name)} = ? "
        f"AND r.IsDeleted = 0 AND {condition} ORDER BY r.rowid",
        [value, *params],
    )
    return [store.decode(obj, row) for row in rows]


def retrieve_by_external_id(
    caller: Caller, sobject: str, field: str, value: str, fields: str | None = None
) -> list[dict[str, Any]]:
    """Records matching an external id: one (a record), several (their URLs), none (NOT_FOUND)."""
    obj = readable_object(caller, sobject)
    fdef = external_id_field(caller, obj, field)
    matches = match_external_id(caller, obj, fdef, value)
    if not matches:
        raise errors.NotFound()
    chosen = with_id(obj, selected_fields(caller, obj, fields))
    return [render(caller, obj, row, chosen) for row in matches]


def _window(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    """The replication window, each end rounded down to the minute as Salesforce does."""
    if not start or not end:
        raise errors.MissingArgument("start and end are required (ISO-8601 date-times)")
    try:
        low, high = parse_datetime(start), parse_datetime(end)
    except ValueError as exc:
        raise errors.InvalidReplicationDate(str(exc)) from exc
    low, high = low.replace(second=0, microsecond=0), high.replace(second=0, microsecond=0)
    if high <= low:
        raise errors.InvalidReplicationDate("end must be at least one minute after start")
    return low, high


def updated(caller: Caller, sobject: str, start: str | None, end: str | None) -> dict[str, Any]:
    """``/sobjects/{Obj}/updated``: ids changed in [start, end) by SystemModstamp."""
    obj = readable_object(caller, sobject)
    low, high = _window(start, end)
    condition, params = caller.security.visibility_sql(caller.perms, obj, "r")
    rows = caller.store.query(
        f"SELECT r.Id FROM {quote(obj.name)} r WHERE r.IsDeleted = 0 AND r.SystemModstamp >= ? "
        f"AND r.SystemModstamp < ? AND {condition} ORDER BY r.SystemModstamp, r.rowid",
        [format_datetime(low), format_datetime(high), *params],
    )
    return {"ids": [r["Id"] for r in rows], "latestDateCovered": format_datetime(high)}


def deleted(caller: Caller, sobject: str, start: str | None, end: str | None) -> dict[str, Any]:
    """``/sobjects/{Obj}/deleted``: records deleted in [start, end), with their deletion time."""
    obj = readable_object(caller, sobject)
    low, high = _window(start, end)
    condition, params = caller.security.visibility_sql(caller.perms, obj, "r")
    rows = caller.store.query(
        f"SELECT r.Id, r.SystemModstamp FROM {quote(obj.name)} r WHERE r.IsDeleted = 1 "
        f"AND r.SystemModstamp >= ? AND r.SystemModstamp < ? AND {condition} "
        "ORDER BY r.SystemModstamp, r.rowid",
        [format_datetime(low), format_datetime(high), *params],
    )
    created = caller.store.query('SELECT CreatedDate FROM "Organization" LIMIT 1')
    earliest = parse_datetime(created[0]["CreatedDate"]) if created else low
    return {
        "deletedRecords": [{"id": r["Id"], "deletedDate": r["SystemModstamp"]} for r in rows],
        "earliestDateAvailable": format_datetime(earliest.replace(second=0, microsecond=0)),
        "latestDateCovered": format_datetime(high),
    }
