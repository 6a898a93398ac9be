"""Custom fields added to an org's objects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import ControlError
from ..schema import FieldDef
from ..store import OrgStore
from .common import required, sobject
from .permissions import set_field_permission

CUSTOM_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*__c$")
CUSTOM_FIELD_TYPES = (
    "string",
    "textarea",
    "email",
    "phone",
    "url",
    "picklist",
    "multipicklist",
    "boolean",
    "int",
    "double",
    "currency",
    "percent",
    "date",
    "datetime",
    "reference",
)


def add_custom_field(store: OrgStore, spec: Mapping[str, Any]) -> FieldDef:
    """Add ``<Object>.<Name>__c``; every profile that can read the object gets ``access``."""
    obj = sobject(store, required(spec, "object"))
    name = required(spec, "name")
    if not CUSTOM_FIELD_NAME.match(name):
        raise ControlError(
            f"a custom field name is a letter, then letters, digits or '_', ending in '__c': "
            f"'{name}'"
        )
    if obj.field(name) is not None:
        raise ControlError(f"{obj.name}.{name} already exists")
    kind = spec.get("type", "string")
    if kind not in CUSTOM_FIELD_TYPES:
        raise ControlError(f"unknown field type '{kind}'; known: {', '.join(CUSTOM_FIELD_TYPES)}")
    attrs: dict[str, Any] = {
        "name": name,
        "type": kind,
        "label": spec.get("label") or name.removesuffix("__c").replace("_", " "),
        "custom": True,
        "external_id": bool(spec.get("external_id", False)),
        "unique": bool(spec.get("unique", False)),
        "nillable": not spec.get("required", False),
    }
    if kind in ("string", "email", "phone", "url"):
        attrs["length"] = int(spec.get("length", 255))
    if kind in ("picklist", "multipicklist"):
        attrs["picklist"] = tuple(spec.get("values", ()))
        attrs["restricted_picklist"] = bool(spec.get("restricted", False))
    if kind == "reference":
        attrs["reference_to"] = (sobject(store, required(spec, "reference_to")).name,)
        attrs["relationship_name"] = name.removesuffix("__c") + "__r"
    if attrs["external_id"]:
        attrs["id_lookup"] = True
    fdef = FieldDef(**attrs)
    store.add_custom_field(obj, fdef)
    access = spec.get("access", "edit")
    obj = sobject(store, obj.name)
    for row in store.find_rows(sobject(store, "ObjectPermissions"), {"SobjectType": obj.name}):
        if row["PermissionsRead"] and access != "none":
            level = access if row["PermissionsEdit"] else "read"
            set_field_permission(store, row["ParentId"], obj.name, name, level)
    return fdef
