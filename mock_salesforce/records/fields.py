"""The fields of a write: names resolved, field-level security applied, values checked.

Salesforce checks a write body in this order: unknown (or unreadable) fields are
``INVALID_FIELD``; fields the user may not write are ``INVALID_FIELD_FOR_INSERT_UPDATE`` with
``fields``; then each value for its type, length, picklist and lookup target
(REST API Developer Guide, "sObject Rows", "Status Codes and Error Responses"; Salesforce Help,
"Object Permissions").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from .. import errors, ids
from ..schema import FieldDef, ObjectDef
from ..schema.values import NumberOutOfRange, from_storage, to_storage
from .context import Caller, id_label, row_state
from .reads import external_id_field, match_external_id

AUDIT_CREATE_ONLY = ("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_JSON_TYPES = {
    "boolean": "boolean",
    "int": "int",
    "double": "double",
    "currency": "double",
    "percent": "double",
    "date": "date",
    "datetime": "datetime",
}


def unknown_field(obj: ObjectDef, name: str) -> errors.SalesforceError:
    return errors.InvalidField(f"No such column '{name}' on sobject of type {obj.name}")


def resolve_fields(
    caller: Caller, obj: ObjectDef, body: Mapping[str, Any], creating: bool
) -> dict[str, Any]:
    """The body by canonical field name; unknown, unreadable and read-only fields refused."""
    resolved: dict[str, Any] = {}
    for key, value in body.items():
        if key == "attributes":
            continue
        fdef = obj.field(key)
        if fdef is None and isinstance(value, Mapping):
            name, value = foreign_key(caller, obj, key, value)
            fdef = obj.field(name)
        if fdef is None or not caller.perms.can_read_field(obj, fdef):
            raise unknown_field(obj, key)
        resolved[fdef.name] = value
    refused = [name for name in resolved if not writable(caller, obj, name, creating)]
    if refused:
        raise errors.InvalidFieldForInsertUpdate(
            f"Unable to create/update fields: {', '.join(refused)}. Please check the security "
            "settings of this field and verify that it is read/write for your profile or "
            "permission set.",
            refused,
        )
    return resolved


def foreign_key(
    caller: Caller, obj: ObjectDef, relationship: str, value: Mapping[str, Any]
) -> tuple[str, Any]:
    """A lookup set through its relationship and an external id of the parent.

    ``{"Account": {"App_Id__c": "acc-1"}}`` sets AccountId to the Account whose App_Id__c is
    acc-1 (REST guide, "Insert or Update a Record Using a Foreign Key"). Unknown keys are
    INVALID_FIELD "Foreign key external ID: <value> not found for field <field> in entity
    <Object>"; several parents DUPLICATE_EXTERNAL_ID.
    """
    fdef = obj.relationship(relationship)
    keys = [k for k in value if k != "attributes"]
    if fdef is None or len(keys) != 1:
        raise unknown_field(obj, relationship)
    attributes = value.get("attributes")
    named = attributes.get("type") if isinstance(attributes, Mapping) else None
    target = caller.store.schema.object(str(named or fdef.reference_to[0]))
    if target is None or not caller.perms.object_access(target).read:
        raise unknown_field(obj, relationship)
    try:
        ext = external_id_field(caller, target, keys[0])
    except errors.NotFound as missing:
        raise errors.InvalidField(missing.message, [fdef.name]) from None
    matches = match_external_id(caller, target, ext, str(value[keys[0]]))
    if not matches:
        raise errors.InvalidField(
            f"Foreign key external ID: {value[keys[0]]} not found for field {ext.name} in "
            f"entity {target.name}"
        )
    if len(matches) > 1:
        raise errors.DuplicateExternalId(
            f"{ext.name}: more than one record found for external id field: "
            f"[{', '.join(str(m['Id']) for m in matches)}]",
            [fdef.name],
        )
    return fdef.name, matches[0]["Id"]


def writable(caller: Caller, obj: ObjectDef, name: str, creating: bool) -> bool:
    """Whether this user may set field ``name`` on create (or on update)."""
    fdef = obj.field(name)
    if fdef is None or obj.setup:
        return False
    if creating and fdef.name in AUDIT_CREATE_ONLY:
        # "Set Audit Fields upon Record Creation": create only, never on update.
        return caller.perms.has("CreateAuditFields")
    allowed = fdef.createable if creating else fdef.updateable
    return allowed and caller.perms.can_edit_field(obj, fdef)


def restricted(caller: Caller, obj: ObjectDef, fdef: FieldDef) -> bool:
    """A restricted picklist: by definition or listed in the org's ``restricted_picklists``."""
    if fdef.restricted_picklist:
        return True
    return f"{obj.name}.{fdef.name}".lower() in caller.restricted_picklists


def check_value(caller: Caller, obj: ObjectDef, fdef: FieldDef, value: Any) -> Any:
    """``value`` converted to the field's JSON form, or the Salesforce error it earns."""
    if value is None or (value == "" and (fdef.is_text or fdef.is_reference)):
        return None
    try:
        converted = from_storage(fdef, to_storage(fdef, value))
    except NumberOutOfRange as exc:
        raise errors.NumberOutsideValidRange(
            f"{fdef.label}: value outside of valid range on numeric field: {value}", [fdef.name]
        ) from exc
    except ValueError as exc:
        raise errors.JsonParserError(_deserialize_message(fdef, value)) from exc
    if fdef.is_reference:
        return check_reference(caller, obj, fdef, converted)
    if fdef.is_text:
        _check_text(caller, obj, fdef, converted)
    return converted


def json_token(value: Any) -> str:
    """The Jackson token name of a JSON value (``VALUE_STRING``, ``START_ARRAY``, ...)."""
    if value is None:
        return "VALUE_NULL"
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "VALUE_NUMBER_FLOAT"
    if isinstance(value, dict):
        return "START_OBJECT"
    return "START_ARRAY" if isinstance(value, list) else "VALUE_STRING"


def _deserialize_message(fdef: FieldDef, value: Any) -> str:
    """Jackson's words for a value of the wrong JSON type (Salesforce's JSON_PARSER_ERROR)."""
    kind = _JSON_TYPES.get(fdef.type, "string")
    return (
        f"Cannot deserialize instance of {kind} from {json_token(value)} value {value} or "
        "request may be missing a required field"
    )


ECHO_LIMIT = 300  # characters of an over-long value repeated in STRING_TOO_LONG


def _echo(value: str) -> str:
    """The value as the error repeats it: whole when short, its start when not (an error must
    not send megabytes back)."""
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "..."


def _check_text(caller: Caller, obj: ObjectDef, fdef: FieldDef, value: str) -> None:
    if fdef.length and len(value) > fdef.length:
        raise errors.StringTooLong(
            f"{fdef.label}: data value too large: {_echo(value)} (max length={fdef.length})",
            [fdef.name],
        )
    if fdef.type == "email" and not _EMAIL.match(value):
        raise errors.InvalidEmailAddress(
            f"{fdef.label}: invalid email address: {value}", [fdef.name]
        )
    if fdef.type in ("picklist", "multipicklist") and restricted(caller, obj, fdef):
        chosen = value.split(";") if fdef.type == "multipicklist" else [value]
        bad = [v for v in chosen if v not in fdef.picklist]
        if bad:
            raise errors.InvalidOrNullForRestrictedPicklist(
                f"{fdef.label}: bad value for restricted picklist field: {bad[0]}", [fdef.name]
            )


def check_reference(caller: Caller, obj: ObjectDef, fdef: FieldDef, value: Any) -> str:
    """A lookup value: an id of a target type that exists, is not deleted, and is visible.

    Garbage is MALFORMED_ID, an id of another object FIELD_INTEGRITY_EXCEPTION "<Label> ID: id
    value of incorrect type", an unknown id INVALID_CROSS_REFERENCE_KEY, a record the user
    cannot see INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY (REST API Developer Guide, "Status
    Codes and Error Responses"; docs/rest-api.md, "Ownership").
    """
    text = str(value)
    normalized = ids.normalize(text)
    if normalized is None:
        raise errors.MalformedId(
            f"{id_label(fdef)}: id value of incorrect type: {text}", [fdef.name]
        )
    store = caller.store
    target = store.schema.by_prefix(normalized[:3])
    if target is None or target.name not in fdef.reference_to:
        raise errors.FieldIntegrityException(
            f"{id_label(fdef)}: id value of incorrect type: {text}", [fdef.name]
        )
    state = row_state(store, target, normalized)
    if state is None:
        raise errors.InvalidCrossReferenceKey("invalid cross reference id", [fdef.name])
    if state.get("IsDeleted"):
        deleted = errors.EntityIsDeleted("entity is deleted", [fdef.name])
        deleted.http_status = 400
        raise deleted
    if not target.setup and not caller.security.can_see(caller.perms, target, state.get("OwnerId")):
        raise errors.InsufficientAccessOnCrossReferenceEntity(
            f"insufficient access rights on cross-reference id: {normalized[:15]}", [fdef.name]
        )
    return normalized


def check_values(caller: Caller, obj: ObjectDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of a resolved body checked and converted (OwnerId is checked by owners)."""
    checked: dict[str, Any] = {}
    for name, value in values.items():
        fdef = obj.field(name)
        assert fdef is not None
        checked[name] = value if name == "OwnerId" else check_value(caller, obj, fdef, value)
    return checked


def missing_required(obj: ObjectDef, row: Mapping[str, Any], names: Collection[str]) -> None:
    """REQUIRED_FIELD_MISSING "Required fields are missing: [A, B]" with ``fields``."""
    missing = [
        f.name for f in obj.non_nillable if f.name in names and row.get(f.name) in (None, "")
    ]
    if missing:
        raise errors.RequiredFieldMissing(
            f"Required fields are missing: [{', '.join(missing)}]", missing
        )
