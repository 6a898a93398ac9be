"""Create, update and delete records as the token's user, with Salesforce's rules.

Every write stamps the running user and the mock clock into the audit fields (SOAP API Developer
Guide, "System Fields"), applies the ownership rules, object and field permissions and sharing,
the activity rules, required fields and defaults, and unique fields (DUPLICATE_VALUE); each is
described in docs/rest-api.md.
Each call is one transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from ..schema import ObjectDef
from ..store.ddl import quote
from .activities import apply_activity_rules
from .context import Caller, readable_object, record_id_in_url, require, visible_row
from .derived import apply_derived
from .fields import check_values, json_token, missing_required, resolve_fields
from .owners import assigned_lead_owner, check_owner


def body_object(body: Any, obj: ObjectDef) -> Mapping[str, Any]:
    """The record of a write body (a JSON object); JSON_PARSER_ERROR for anything else."""
    if not isinstance(body, Mapping):
        raise errors.JsonParserError(
            f"Cannot deserialize instance of {obj.name} from {json_token(body)} value"
        )
    return body


def create(caller: Caller, sobject: str, body: Any) -> str:
    """Insert a record; returns its 18-character id."""
    obj = readable_object(caller, sobject)
    require(caller, obj, "create")
    fields = dict(body_object(body, obj))
    record_id = fields.pop("Id", None) or fields.pop("id", None)
    if record_id:
        raise errors.InvalidFieldForInsertUpdate("cannot specify Id in an insert call", ["Id"])
    with caller.store.transaction():
        return _insert(caller, obj, fields)


def _insert(caller: Caller, obj: ObjectDef, body: Mapping[str, Any]) -> str:
    store = caller.store
    values = check_values(caller, obj, resolve_fields(caller, obj, body, creating=True))
    row: dict[str, Any] = {
        name: default for name, default in obj.defaults if values.get(name) is None
    }
    row.update({k: v for k, v in values.items() if v is not None or k not in row})
    row.update(_creation_stamps(caller, obj, values))
    if obj.has_owner:
        explicit = values.get("OwnerId")
        owner = check_owner(caller, obj, explicit) if explicit is not None else caller.user_id
        row["OwnerId"] = assigned_lead_owner(caller, obj) or owner
    apply_activity_rules(obj, row, set(values), creating=True)
    missing_required(obj, row, obj.required_on_create.union(values))
    _check_unique(caller, obj, row, None)
    apply_derived(store, obj, row)
    store.insert_row(obj, row)
    return str(row["Id"])


def _creation_stamps(caller: Caller, obj: ObjectDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """Id and audit fields of a new row: the token's user and the mock clock, unless the user
    may set audit fields and did (Salesforce Help, "Set Audit Fields upon Record Creation")."""
    now = caller.store.now_text()
    created = values.get("CreatedDate") or now
    return {
        "Id": caller.store.new_id(obj.key_prefix),
        "IsDeleted": False,
        "CreatedDate": created,
        "CreatedById": values.get("CreatedById") or caller.user_id,
        "LastModifiedDate": values.get("LastModifiedDate") or created,
        "LastModifiedById": values.get("LastModifiedById") or caller.user_id,
        "SystemModstamp": now,
    }


def update(caller: Caller, sobject: str, raw_id: str, body: Any) -> str:
    """Change the fields sent (``null`` clears); returns the record id."""
    obj = readable_object(caller, sobject)
    require(caller, obj, "edit")
    record_id = record_id_in_url(obj, raw_id, writing=True)
    fields = dict(body_object(body, obj))
    for key in [k for k in fields if k.lower() == "id"]:
        if str(fields.pop(key) or record_id)[:15] != record_id[:15]:
            raise errors.InvalidFieldForInsertUpdate(
                "Unable to create/update fields: Id. Please check the security settings of "
                "this field and verify that it is read/write for your profile or permission set.",
                ["Id"],
            )
    with caller.store.transaction():
        _change(caller, obj, record_id, fields)
    return record_id


def _change(caller: Caller, obj: ObjectDef, record_id: str, body: Mapping[str, Any]) -> None:
    store = caller.store
    current = visible_row(caller, obj, record_id)
    owner = current.get("OwnerId")
    if not caller.security.can_modify(caller.perms, obj, owner):
        raise errors.InsufficientAccessOrReadonly()
    values = check_values(caller, obj, resolve_fields(caller, obj, body, creating=False))
    if obj.has_owner and "OwnerId" in values and values["OwnerId"] != owner:
        values["OwnerId"] = check_owner(caller, obj, values["OwnerId"])
        if values["OwnerId"] != owner and not caller.security.can_transfer(
            caller.perms, obj, owner
        ):
            raise errors.InsufficientAccessOrReadonly()
    routed = assigned_lead_owner(caller, obj)
    if routed is not None:
        values["OwnerId"] = routed  # the active assignment rule runs on updates too
    row = {**current, **values}
    now = store.now_text()
    row.update({"LastModifiedDate": now, "LastModifiedById": caller.user_id, "SystemModstamp": now})
    apply_activity_rules(obj, row, set(values), creating=False)
    missing_required(obj, row, list(values))
    _check_unique(caller, obj, row, record_id)
    apply_derived(store, obj, row)
    store.update_row(obj, record_id, {k: v for k, v in row.items() if current.get(k) != v})


def delete(caller: Caller, sobject: str, raw_id: str) -> str:
    """Move a record to the Recycle Bin (``IsDeleted`` true); ENTITY_IS_DELETED the second time.

    Deleting needs the Delete permission and full access to the record: its owner, or Modify
    All on the object. A Public Read/Write default lets others edit, not delete
    (Salesforce Help, "Organization-Wide Sharing Defaults").
    """
    obj = readable_object(caller, sobject)
    require(caller, obj, "delete")
    record_id = record_id_in_url(obj, raw_id, writing=True)
    with caller.store.transaction():
        remove(caller, obj, record_id)
    return record_id


def remove(caller: Caller, obj: ObjectDef, record_id: str) -> None:
    current = visible_row(caller, obj, record_id)
    if not caller.security.can_delete(caller.perms, obj, current.get("OwnerId")):
        raise errors.InsufficientAccessOrReadonly()
    now = caller.store.now_text()
    caller.store.update_row(
        obj,
        record_id,
        {
            "IsDeleted": True,
            "SystemModstamp": now,
            "LastModifiedDate": now,
            "LastModifiedById": caller.user_id,
        },
    )


def _check_unique(
    caller: Caller, obj: ObjectDef, row: Mapping[str, Any], record_id: str | None
) -> None:
    """DUPLICATE_VALUE "duplicate value found: <field> duplicates value on record with id"."""
    for fdef in obj.unique_fields:
        value = row.get(fdef.name)
        if value is None:
            continue
        rows = caller.store.query(
            f"SELECT Id FROM {quote(obj.name)} WHERE {quote(fdef.name)} = ? AND IsDeleted = 0 "
            "AND Id IS NOT ? LIMIT 1",
            (value, record_id),
        )
        if rows:
            raise errors.DuplicateValue(
                f"duplicate value found: {fdef.name} duplicates value on record with id: "
                f"{rows[0]['Id'][:15]}"
            )


def insert_checked(caller: Caller, obj: ObjectDef, body: Mapping[str, Any]) -> str:
    """Insert inside the caller's transaction (collections and upserts use it)."""
    require(caller, obj, "create")
    return _insert(caller, obj, body)


def change_checked(caller: Caller, obj: ObjectDef, record_id: str, body: Mapping[str, Any]) -> None:
    require(caller, obj, "edit")
    _change(caller, obj, record_id, body)


__all__ = ["change_checked", "create", "delete", "insert_checked", "remove", "update"]
