"""Describe global and sObject describe, as the calling user sees them.

Objects the user cannot read are absent; object flags follow the user's object permissions;
fields hidden by field-level security are absent and read-only ones are neither createable nor
updateable (REST API Developer Guide, "sObject Describe"). ``If-Modified-Since`` compares with the
org's last schema
change (a custom field added), kept in the org setting ``schema_modified_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..schema import FieldDef, ObjectDef
from ..schema.memo import PerDefinition
from ..schema.values import parse_datetime
from .context import Caller, readable_object
from .fields import restricted, writable

MASTER_RECORD_TYPE = "012000000000000AAA"


def schema_modified_at(caller: Caller) -> datetime:
    """When this org's metadata last changed (its creation, until a custom field is added)."""
    stamp = caller.store.setting("schema_modified_at")
    if not stamp:
        rows = caller.store.query('SELECT CreatedDate FROM "Organization" LIMIT 1')
        stamp = rows[0]["CreatedDate"] if rows else "2000-01-01T00:00:00.000+0000"
    return parse_datetime(str(stamp))


def _urls(caller: Caller, obj: ObjectDef) -> dict[str, str]:
    base = f"/services/data/v{caller.version}/sobjects/{obj.name}"
    return {
        "sobject": base,
        "describe": f"{base}/describe",
        "rowTemplate": f"{base}/{{ID}}",
    }


def object_summary(caller: Caller, obj: ObjectDef) -> dict[str, Any]:
    """An entry of describe global: names and the user's flags on the object."""
    access = caller.perms.object_access(obj)
    data = not obj.setup
    return {
        "activateable": False,
        "createable": obj.createable and data and access.create,
        "custom": obj.custom,
        "customSetting": False,
        "deletable": obj.deletable and data and access.delete,
        "deprecatedAndHidden": False,
        "feedEnabled": data,
        "keyPrefix": obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": data,
        "mergeable": obj.name in ("Account", "Contact", "Lead"),
        "mruEnabled": data,
        "name": obj.name,
        "queryable": True,
        "replicateable": True,
        "retrieveable": True,
        "searchable": data,
        "triggerable": data,
        "undeletable": data and access.delete,
        "updateable": obj.updateable and data and access.edit,
        "urls": _urls(caller, obj),
    }


def describe_global(caller: Caller) -> dict[str, Any]:
    visible = [o for o in caller.store.schema if caller.perms.object_access(o).read]
    return {
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": [object_summary(caller, o) for o in sorted(visible, key=lambda o: o.name)],
    }


def sobject_basic(caller: Caller, sobject: str) -> dict[str, Any]:
    """``GET /sobjects/{Obj}``: the object's summary and the user's recent items."""
    obj = readable_object(caller, sobject)
    return {"objectDescribe": object_summary(caller, obj), "recentItems": []}


def describe_sobject(caller: Caller, sobject: str) -> dict[str, Any]:
    """The object's describe as this user sees it. Kept per object, user and API version:
    an entry holds the object definition and the user's permissions it was built from, and a
    schema or security change (a custom field, FLS, a setting) makes new ones of those."""
    obj = readable_object(caller, sobject)
    kept: dict[tuple[str, str, str], tuple[Any, Any, dict[str, Any]]]
    kept = caller.store.cache.setdefault("describe", {})
    key = (obj.name, caller.user_id, caller.version)
    found = kept.get(key)
    if found is not None and found[0] is obj and found[1] is caller.perms:
        return dict(found[2])
    body = _describe(caller, obj)
    if len(kept) >= 256:
        kept.clear()
    kept[key] = (obj, caller.perms, body)
    return dict(body)


def _describe(caller: Caller, obj: ObjectDef) -> dict[str, Any]:
    summary = object_summary(caller, obj)
    base = summary["urls"]["sobject"]
    summary["urls"].update(
        {
            "compactLayouts": f"{base}/describe/compactLayouts",
            "layouts": f"{base}/describe/layouts",
            "uiDetailTemplate": "https://mock.my.salesforce.com/{ID}",
            "uiEditTemplate": "https://mock.my.salesforce.com/{ID}/e",
            "uiNewRecord": f"https://mock.my.salesforce.com/{obj.key_prefix}/e",
        }
    )
    fields = [
        describe_field(caller, obj, f) for f in obj.fields if caller.perms.can_read_field(obj, f)
    ]
    return {
        **summary,
        "childRelationships": _children(caller, obj),
        "fields": fields,
        "recordTypeInfos": [
            {
                "active": True,
                "available": True,
                "defaultRecordTypeMapping": True,
                "developerName": "Master",
                "master": True,
                "name": "Master",
                "recordTypeId": MASTER_RECORD_TYPE,
                "urls": {"layout": f"{base}/describe/layouts/{MASTER_RECORD_TYPE}"},
            }
        ],
        "supportedScopes": [{"label": "All " + obj.label_plural.lower(), "name": "everything"}],
    }


def _children(caller: Caller, obj: ObjectDef) -> list[dict[str, Any]]:
    result = []
    for child in caller.store.schema.child_relationships(obj.name):
        child_obj = caller.store.schema.object(child.child_object)
        if child_obj is None or not caller.perms.object_access(child_obj).read:
            continue
        result.append(
            {
                "cascadeDelete": child.cascade_delete,
                "childSObject": child.child_object,
                "deprecatedAndHidden": False,
                "field": child.field,
                "relationshipName": child.relationship_name,
                "restrictedDelete": False,
            }
        )
    return result


def describe_field(caller: Caller, obj: ObjectDef, fdef: FieldDef) -> dict[str, Any]:
    """One ``fields[]`` entry with this user's ``createable`` / ``updateable``."""
    entry = dict(_field_entry(fdef))
    entry["createable"] = writable(caller, obj, fdef.name, creating=True)
    entry["restrictedPicklist"] = fdef.type == "picklist" and restricted(caller, obj, fdef)
    entry["updateable"] = writable(caller, obj, fdef.name, creating=False)
    return entry


# What a field's describe entry says whoever asks, kept per field definition. The lists
# inside are shared by every describe answer that holds the field: nothing may change them.
_FIELD_ENTRIES: PerDefinition[dict[str, Any]] = PerDefinition(20000)


def _field_entry(fdef: FieldDef) -> dict[str, Any]:
    entry = _FIELD_ENTRIES.get(fdef)
    return entry if entry is not None else _FIELD_ENTRIES.put(fdef, _static_field_entry(fdef))


def _static_field_entry(fdef: FieldDef) -> dict[str, Any]:
    """The entry with the caller's three answers (createable, restrictedPicklist,
    updateable) left False, in their places."""
    text = fdef.is_text or fdef.type in ("id", "reference")
    return {
        "autoNumber": False,
        "byteLength": fdef.length * 3 if text else 0,
        "calculated": False,
        "calculatedFormula": None,
        "caseSensitive": fdef.case_sensitive,
        "controllerName": None,
        "createable": False,
        "custom": fdef.custom,
        "defaultValue": fdef.default if fdef.type == "boolean" else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": fdef.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": fdef.precision if fdef.type == "int" else 0,
        "externalId": fdef.external_id,
        "filterable": fdef.type not in ("textarea",),
        "groupable": fdef.type not in ("textarea", "double", "currency", "percent", "datetime"),
        "htmlFormatted": False,
        "idLookup": fdef.id_lookup,
        "inlineHelpText": None,
        "label": fdef.label,
        "length": fdef.length if text else 0,
        "name": fdef.name,
        "nameField": fdef.name_field,
        "namePointing": fdef.is_polymorphic,
        "nillable": fdef.nillable,
        "picklistValues": [
            {
                "active": True,
                "defaultValue": value == fdef.default,
                "label": value,
                "validFor": None,
                "value": value,
            }
            for value in fdef.picklist
        ],
        "precision": fdef.precision if fdef.type not in ("int",) else 0,
        "referenceTo": list(fdef.reference_to),
        "relationshipName": fdef.relationship_name,
        "relationshipOrder": None,
        "restrictedPicklist": False,
        "scale": fdef.scale,
        "soapType": fdef.soap_type,
        "sortable": fdef.type not in ("textarea", "multipicklist"),
        "type": fdef.type,
        "unique": fdef.unique,
        "updateable": False,
        "writeRequiresMasterRead": False,
    }
