"""Permissions: objects x profiles and permission sets, field-level security per object, and
what one user can do on one object, computed by the evaluator the API uses
(``security.SecurityEvaluator``)."""

from __future__ import annotations

from typing import Any

from flask import request

from .. import org_admin
from ..pipeline.sessions import security_for
from ..security import OBJECT_PERMISSION_NAMES, permissionable_fields
from ..store import OrgStore
from . import bp
from .common import find_user_id, object_names, org, render, user_choices

# Column headings of the matrix, in OBJECT_PERMISSION_NAMES order.
PERMISSION_LABELS = ("Read", "Create", "Edit", "Delete", "View All", "Modify All")
SHORT_LABELS = ("R", "C", "E", "D", "VA", "MA")


def holders(store: OrgStore) -> list[dict[str, Any]]:
    """Profiles (through their own permission set) then permission sets: id, name, kind."""
    rows = store.query(
        "SELECT ps.Id, ps.Label, ps.IsOwnedByProfile, p.Name AS ProfileName "
        'FROM "PermissionSet" ps LEFT JOIN "Profile" p ON p.PermissionSetId = ps.Id '
        "ORDER BY ps.IsOwnedByProfile DESC, ps.rowid"
    )
    return [
        {
            "id": r["Id"],
            "name": r["ProfileName"] if r["IsOwnedByProfile"] else r["Label"],
            "kind": "profile" if r["IsOwnedByProfile"] else "permission set",
        }
        for r in rows
        if r["ProfileName"] or not r["IsOwnedByProfile"]
    ]


def object_matrix(store: OrgStore, objects: list[str]) -> dict[tuple[str, str], list[bool]]:
    """(object, permission set id) -> the six object permissions as stored."""
    matrix: dict[tuple[str, str], list[bool]] = {}
    for row in store.query('SELECT * FROM "ObjectPermissions"'):
        if row["SobjectType"] in objects:
            flags = [bool(row[f"Permissions{n}"]) for n in OBJECT_PERMISSION_NAMES]
            matrix[(row["SobjectType"], row["ParentId"])] = flags
    return matrix


def field_matrix(store: OrgStore, obj_name: str) -> dict[tuple[str, str], str]:
    """(field, permission set id) -> "edit", "read" or absent (no access)."""
    rows = store.query('SELECT * FROM "FieldPermissions" WHERE SobjectType = ?', (obj_name,))
    return {
        (r["Field"].partition(".")[2], r["ParentId"]): "edit" if r["PermissionsEdit"] else "read"
        for r in rows
        if r["PermissionsRead"] or r["PermissionsEdit"]
    }


def user_on_object(store: OrgStore, user: str, obj_name: str) -> dict[str, Any]:
    """What ``user`` may do on ``obj_name`` (``org_admin.user_access``, the API's evaluator),
    with the object's sharing default and whether the API would take the user's calls."""
    obj = store.schema.object(obj_name)
    if obj is None:
        return {"error": f"unknown object '{obj_name}'"}
    access = org_admin.user_access(store, user, obj.name)
    evaluator = security_for(store)
    perms = evaluator.permissions(find_user_id(store, user))
    flags = ("read", "create", "edit", "delete", "view_all", "modify_all")
    allowed = {label: access[flag] for label, flag in zip(PERMISSION_LABELS, flags, strict=True)}
    return {
        "username": access["user"],
        "object": access["object"],
        "access": allowed,
        "sharing": evaluator.sharing_model(obj),
        "api_enabled": perms.api_enabled,
        "active": perms.user.active and not perms.user.frozen,
        "fields": [
            {"name": name, "read": level != "none", "edit": level == "edit"}
            for name, level in access["fields"].items()
        ],
    }


@bp.get("/ui/orgs/<org_id>/permissions")
def permissions(org_id: str) -> str:
    store = org(org_id)
    objects = object_names(store)
    chosen = request.args.get("object") or "Contact"
    obj = store.schema.object(chosen)
    fls_fields = [f.name for f in permissionable_fields(obj)] if obj else []
    user = request.args.get("user")
    return render(
        "permissions.html",
        store,
        objects=objects,
        holders=holders(store),
        matrix=object_matrix(store, objects),
        labels=PERMISSION_LABELS,
        short_labels=SHORT_LABELS,
        chosen=obj.name if obj else chosen,
        fls_fields=fls_fields,
        fls=field_matrix(store, obj.name) if obj else {},
        users=user_choices(store),
        user=user,
        verdict=user_on_object(store, user, chosen) if user else None,
    )
