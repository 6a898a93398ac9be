"""sObject Collections (``/composite/sobjects``): up to 200 records in one call.

Each record is saved in its own savepoint; results come back in request order with
``statusCode`` (not ``errorCode``) in their errors. With ``allOrNone`` one failure rolls the
whole call back and every other record reports ALL_OR_NONE_OPERATION_ROLLED_BACK (REST API
Developer Guide, "sObject Collections").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import errors, ids
from ..schema import ObjectDef
from . import dml
from .context import Caller, id_label, parse_flag, readable_object, require, visible_row
from .reads import external_id_field, render, selected_fields
from .upsert import MultipleMatches, upsert_checked

MAX_RECORDS = 200


class _RolledBack(Exception):
    """Raised to undo the outer transaction of an allOrNone call."""


@dataclass
class _Item:
    known_id: str | None
    save: Callable[[], dict[str, Any]]


def parse_request(body: Any) -> tuple[list[Mapping[str, Any]], bool]:
    """``{"allOrNone": bool, "records": [...]}``, checked."""
    if not isinstance(body, Mapping) or not isinstance(body.get("records"), list):
        raise errors.InvalidInput('The request body must be {"allOrNone": ..., "records": [...]}')
    records = body["records"]
    check_count(len(records))
    if any(not isinstance(r, Mapping) for r in records):
        raise errors.JsonParserError(
            "Cannot deserialize instance of SObject from VALUE_STRING value"
        )
    return records, parse_flag(body.get("allOrNone"), "allOrNone")


def check_count(count: int) -> None:
    if count > MAX_RECORDS:
        raise errors.ExceededIdLimit(
            f"record limit reached. cannot submit more than {MAX_RECORDS} records into this call"
        )


def _typed_object(caller: Caller, record: Mapping[str, Any]) -> ObjectDef:
    attributes = record.get("attributes")
    name = attributes.get("type") if isinstance(attributes, Mapping) else None
    if not name:
        raise errors.InvalidType("Must send a concrete entity type.")
    try:
        return readable_object(caller, str(name))
    except errors.SalesforceError:
        raise errors.InvalidType(f"sObject type '{name}' is not supported.") from None


def _record_id(obj: ObjectDef, raw: Any) -> str:
    if not raw:
        raise errors.MissingArgument("Id not specified in an update call")
    normalized = ids.normalize(str(raw))
    if normalized is None or normalized[:3] != obj.key_prefix:
        raise errors.MalformedId(f"{id_label(obj)}: id value of incorrect type: {raw}", ["Id"])
    return normalized


def _saved(record_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": record_id, "success": True, "errors": [], **extra}


def _run(caller: Caller, items: Sequence[_Item], all_or_none: bool) -> list[dict[str, Any]]:
    store = caller.store
    results: list[dict[str, Any]] = []
    failed = False
    try:
        with store.transaction():
            for item in items:
                try:
                    with store.transaction():
                        results.append(item.save())
                except errors.SalesforceError as exc:
                    failed = True
                    failure: dict[str, Any] = {"success": False, "errors": [exc.to_save_error()]}
                    results.append({"id": item.known_id, **failure} if item.known_id else failure)
            if failed and all_or_none:
                raise _RolledBack()
    except _RolledBack:
        rolled = errors.AllOrNoneOperationRolledBack().to_save_error()
        for result in results:
            if result["success"]:
                result.update(success=False, errors=[rolled])
    return results


def create_many(caller: Caller, body: Any) -> list[dict[str, Any]]:
    records, all_or_none = parse_request(body)

    def save(record: Mapping[str, Any]) -> dict[str, Any]:
        obj = _typed_object(caller, record)
        fields = {k: v for k, v in record.items() if k != "attributes"}
        if any(k.lower() == "id" and v for k, v in fields.items()):
            raise errors.InvalidFieldForInsertUpdate("cannot specify Id in an insert call", ["Id"])
        return _saved(dml.insert_checked(caller, obj, fields))

    return _run(caller, [_Item(None, partial(save, r)) for r in records], all_or_none)


def update_many(caller: Caller, body: Any) -> list[dict[str, Any]]:
    records, all_or_none = parse_request(body)

    def save(record: Mapping[str, Any]) -> dict[str, Any]:
        obj = _typed_object(caller, record)
        raw = next((v for k, v in record.items() if k.lower() == "id"), None)
        record_id = _record_id(obj, raw)
        fields = {k: v for k, v in record.items() if k.lower() not in ("id", "attributes")}
        dml.change_checked(caller, obj, record_id, fields)
        return _saved(record_id)

    items = [_Item(_raw_id(r), partial(save, r)) for r in records]
    return _run(caller, items, all_or_none)


def _raw_id(record: Mapping[str, Any]) -> str | None:
    raw = next((v for k, v in record.items() if k.lower() == "id"), None)
    return str(raw) if raw else None


def upsert_many(caller: Caller, sobject: str, field: str, body: Any) -> list[dict[str, Any]]:
    """``PATCH /composite/sobjects/{Obj}/{ExtField}``: each record carries its external id."""
    obj = readable_object(caller, sobject)
    fdef = external_id_field(caller, obj, field)
    records, all_or_none = parse_request(body)

    def save(record: Mapping[str, Any]) -> dict[str, Any]:
        value = next((v for k, v in record.items() if k.lower() == fdef.name.lower()), None)
        try:
            result = upsert_checked(caller, obj, fdef, value, record)
        except MultipleMatches as many:
            raise many.as_error() from None
        return _saved(result.id, created=result.created)

    return _run(caller, [_Item(None, partial(save, r)) for r in records], all_or_none)


def delete_many(caller: Caller, id_list: str | None, all_or_none: bool) -> list[dict[str, Any]]:
    """``DELETE /composite/sobjects?ids=...``: ids of any objects."""
    raw_ids = [i.strip() for i in (id_list or "").split(",") if i.strip()]
    if not raw_ids:
        raise errors.MissingArgument("ids is required")
    check_count(len(raw_ids))

    def save(raw: str) -> dict[str, Any]:
        normalized = ids.normalize(raw)
        obj = caller.store.schema.by_prefix(normalized[:3]) if normalized else None
        if normalized is None or obj is None or not caller.perms.object_access(obj).read:
            raise errors.MalformedId(f"malformed id {raw}")
        require(caller, obj, "delete")
        dml.remove(caller, obj, normalized)
        return _saved(normalized)

    return _run(caller, [_Item(r, partial(save, r)) for r in raw_ids], all_or_none)


def _id_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] if value else []


def retrieve_many(
    caller: Caller, sobject: str, id_list: str | Sequence[str] | None, fields: Any
) -> list[dict[str, Any] | None]:
    """Records by id (``null`` for ids not found or not visible), with the fields asked for."""
    obj = readable_object(caller, sobject)
    raw_ids = id_list.split(",") if isinstance(id_list, str) else _id_list(id_list)
    if not raw_ids or not fields:
        raise errors.MissingArgument("ids and fields are required")
    check_count(len(raw_ids))
    chosen = selected_fields(caller, obj, fields)
    records: list[dict[str, Any] | None] = []
    for raw in raw_ids:
        normalized = ids.normalize(str(raw).strip())
        try:
            if normalized is None or normalized[:3] != obj.key_prefix:
                raise errors.NotFound()
            records.append(render(caller, obj, visible_row(caller, obj, normalized), chosen))
        except errors.SalesforceError:
            records.append(None)
    return records
