"""Grants as data: what a profile or permission set allows, read and written in one shape
(``objects: {Contact: "Read, Edit"}``, ``fields: {"Contact.Title": "read"}``,
``user_permissions: {ApiEnabled: false}``), used by seed files and the control plane."""

from __future__ import annotations

from typing import Any

from ..errors import ControlError
from ..security import OBJECT_PERMISSION_NAMES, permissionable_fields
from ..store import OrgStore
from .permissions import set_field_permissions, set_object_permissions, set_user_permissions


def grants_summary(store: OrgStore, ps_id: str) -> dict[str, Any]:
    """A permission set's grants as the control plane shows them: user permissions, object
    permissions by object, field access by ``Object.Field``."""
    objects = {
        r["SobjectType"]: [n for n in OBJECT_PERMISSION_NAMES if r[f"Permissions{n}"]]
        for r in store.query('SELECT * FROM "ObjectPermissions" WHERE ParentId = ?', (ps_id,))
    }
    fields = {
        r["Field"]: "edit" if r["PermissionsEdit"] else "read" if r["PermissionsRead"] else "none"
        for r in store.query('SELECT * FROM "FieldPermissions" WHERE ParentId = ?', (ps_id,))
    }
    ps = store.query('SELECT * FROM "PermissionSet" WHERE Id = ?', (ps_id,))[0]
    user_perms = [
        k.removeprefix("Permissions")
        for k in ps.keys()  # noqa: SIM118
        if k.startswith("Permissions") and ps[k]
    ]
    return {
        "permission_set_id": ps_id,
        "user_permissions": user_perms,
        "objects": objects,
        "fields": fields,
    }


def apply_grants(store: OrgStore, ps_id: str, spec: dict[str, Any]) -> None:
    """``objects: {Contact: "Read, Edit"}``, ``fields: {"Contact.Title": "read"}``,
    ``user_permissions: {ApiEnabled: false}`` (or a list of names to grant)."""
    perms = spec.get("user_permissions")
    if isinstance(perms, list):
        perms = {name: True for name in perms}
    if perms:
        set_user_permissions(store, ps_id, perms)
    for obj_name, grant in (spec.get("objects") or {}).items():
        set_object_permissions(store, ps_id, obj_name, grant)
    grants: list[tuple[str, str, str]] = []
    for qualified, access in (spec.get("fields") or {}).items():
        obj_name, _, field_name = qualified.partition(".")
        if not field_name:
            raise ControlError(f"fields are named Object.Field (or Object.*): '{qualified}'")
        names = [field_name]
        if field_name == "*":
            obj = store.schema.object(obj_name)
            if obj is None:
                raise ControlError(f"unknown sObject '{obj_name}'")
            names = [f.name for f in permissionable_fields(obj)]
        grants += [(obj_name, name, access) for name in names]
    if grants:
        set_field_permissions(store, ps_id, grants)
