"""Profiles, permission sets, their grants and assignments, as Setup would manage them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ControlError
from ..schema import DATA_OBJECTS, USER_PERMISSIONS, ObjectDef
from ..security import OBJECT_PERMISSION_NAMES, permissionable_fields
from ..store import OrgStore
from ..store.ddl import quote
from .common import ALL, audit_values, sobject

_OBJECT_ALIASES = {
    "read": "Read",
    "create": "Create",
    "edit": "Edit",
    "delete": "Delete",
    "viewall": "ViewAllRecords",
    "viewallrecords": "ViewAllRecords",
    "modifyall": "ModifyAllRecords",
    "modifyallrecords": "ModifyAllRecords",
}
_CRUD = ("Read", "Create", "Edit", "Delete")


@dataclass(frozen=True)
class ProfileSpec:
    """A profile as data: its user permissions, object permissions and field access."""

    user_permissions: tuple[str, ...]
    objects: Mapping[str, tuple[str, ...]]
    field_access: str  # "edit", "read" or "none" on every permissionable field of its objects
    license: str = "Salesforce"
    user_type: str = "Standard"


def _every_object(perms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {o.name: perms for o in DATA_OBJECTS}


STANDARD_PROFILES: dict[str, ProfileSpec] = {
    "System Administrator": ProfileSpec(
        (
            "ApiEnabled",
            "ModifyAllData",
            "ViewAllData",
            "ViewSetup",
            "ManageUsers",
            "TransferAnyEntity",
            "TransferAnyLead",
            "ViewAllUsers",
            "CustomizeApplication",
            "EditTask",
            "EditEvent",
            "ConvertLeads",
            "AuthorApex",
            "LightningExperienceUser",
        ),
        _every_object(OBJECT_PERMISSION_NAMES),
        "edit",
    ),
    "Standard User": ProfileSpec(
        ("ApiEnabled", "EditTask", "EditEvent", "ConvertLeads", "LightningExperienceUser"),
        _every_object(_CRUD),
        "edit",
    ),
    "Read Only": ProfileSpec(
        ("ApiEnabled", "LightningExperienceUser"), _every_object(("Read",)), "read"
    ),
    "Minimum Access - API Only Integrations": ProfileSpec(
        ("ApiEnabled", "ApiUserOnly"), {}, "none", "Salesforce Integration"
    ),
    "Minimum Access - Salesforce": ProfileSpec(("LightningExperienceUser",), {}, "none"),
}


def parse_object_permissions(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"Read, Create, Edit"``, ``["read", "view_all"]`` or ``"all"`` -> canonical names."""
    items = value.split(",") if isinstance(value, str) else list(value)
    names: list[str] = []
    for item in items:
        key = item.strip().lower().replace("_", "").replace(" ", "")
        if not key or key == "none":
            continue
        if key == ALL:
            return OBJECT_PERMISSION_NAMES
        if key not in _OBJECT_ALIASES:
            raise ControlError(
                f"unknown object permission '{item.strip()}'; use Read, Create, Edit, Delete, "
                "ViewAllRecords or ModifyAllRecords"
            )
        names.append(_OBJECT_ALIASES[key])
    return _with_dependencies(names)


def _with_dependencies(names: list[str]) -> tuple[str, ...]:
    """Salesforce's implied permissions: Create/Edit need Read, Delete needs Edit, ..."""
    granted = set(names)
    if "ModifyAllRecords" in granted:
        granted |= {"Read", "Edit", "Delete", "ViewAllRecords"}
    if "Delete" in granted:
        granted |= {"Read", "Edit"}
    if granted & {"Create", "Edit", "ViewAllRecords"}:
        granted.add("Read")
    return tuple(n for n in OBJECT_PERMISSION_NAMES if n in granted)


def check_user_permissions(names: Iterable[str]) -> tuple[str, ...]:
    known = {p.lower(): p for p in USER_PERMISSIONS}
    result = []
    for name in names:
        key = name.strip().removeprefix("Permissions").lower()
        if key not in known:
            raise ControlError(
                f"unknown user permission '{name}'; known: {', '.join(USER_PERMISSIONS)}"
            )
        result.append(known[key])
    return tuple(result)


# -- profiles and permission sets ------------------------------------------------------------
def create_profile(store: OrgStore, name: str, spec: ProfileSpec) -> str:
    """A profile and its profile-owned permission set; returns the profile id."""
    if store.find_rows(sobject(store, "Profile"), {"Name": name}):
        raise ControlError(f"a profile named '{name}' already exists")
    now = store.now_text()
    profile_id = store.new_id("00e")
    ps_id = _insert_permission_set(
        store, f"X00e{profile_id[3:15]}", name, spec.user_permissions, owned_by=profile_id
    )
    store.insert_row(
        sobject(store, "Profile"),
        {
            "Id": profile_id,
            "Name": name,
            "UserType": spec.user_type,
            "UserLicenseId": spec.license,
            "PermissionSetId": ps_id,
            **audit_values(now, None),
        },
    )
    _grant_new_permission_set(store, ps_id, spec)
    store.version += 1
    return profile_id


def _grant_new_permission_set(store: OrgStore, ps_id: str, spec: ProfileSpec) -> None:
    """A new profile's object and field permissions, in two batched inserts (it has none yet)."""
    audit = audit_values(store.now_text(), None)
    object_rows, field_rows = [], []
    for obj_name, perms in spec.objects.items():
        obj = sobject(store, obj_name)
        granted = set(parse_object_permissions(perms))
        flags = {f"Permissions{n}": n in granted for n in OBJECT_PERMISSION_NAMES}
        object_rows.append({"ParentId": ps_id, "SobjectType": obj.name, **flags, **audit})
        if spec.field_access == "none":
            continue
        values = {
            "PermissionsRead": True,
            "PermissionsEdit": spec.field_access == "edit",
        }
        field_rows += [
            {"ParentId": ps_id, "SobjectType": obj.name, "Field": f"{obj.name}.{f.name}"}
            | values
            | audit
            for f in permissionable_fields(obj)
        ]
    _insert_rows(store, sobject(store, "ObjectPermissions"), object_rows)
    _insert_rows(store, sobject(store, "FieldPermissions"), field_rows)


def _insert_rows(store: OrgStore, obj: ObjectDef, rows: list[dict[str, Any]]) -> None:
    """Insert rows of plain values (text, numbers, booleans) with one ``executemany``."""
    if not rows:
        return
    names = ["Id", *rows[0]]
    columns = ", ".join(quote(n) for n in names)
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {quote(obj.name)} ({columns}) VALUES ({marks})"
    new_ids = store.new_ids(obj.key_prefix, len(rows))
    params = [
        [record_id, *(int(v) if isinstance(v, bool) else v for v in row.values())]
        for record_id, row in zip(new_ids, rows, strict=True)
    ]
    with store.lock:
        store.conn.executemany(sql, params)


def create_permission_set(
    store: OrgStore,
    name: str,
    label: str | None = None,
    user_permissions: Iterable[str] = (),
) -> str:
    if store.find_rows(sobject(store, "PermissionSet"), {"Name": name}):
        raise ControlError(f"a permission set named '{name}' already exists")
    return _insert_permission_set(store, name, label or name, tuple(user_permissions))


def _insert_permission_set(
    store: OrgStore,
    name: str,
    label: str,
    user_permissions: tuple[str, ...],
    owned_by: str | None = None,
) -> str:
    ps_id = store.new_id("0PS")
    granted = set(check_user_permissions(user_permissions))
    values: dict[str, Any] = {
        "Id": ps_id,
        "Name": name,
        "Label": label,
        "IsOwnedByProfile": owned_by is not None,
        "ProfileId": owned_by,
        "Type": "Profile" if owned_by else "Regular",
        **audit_values(store.now_text(), None),
    }
    values.update({f"Permissions{p}": p in granted for p in USER_PERMISSIONS})
    store.insert_row(sobject(store, "PermissionSet"), values)
    store.version += 1
    return ps_id


def profile_permission_set(store: OrgStore, profile: str) -> str:
    """The profile-owned permission set of a profile given by id or name."""
    row = find_profile(store, profile)
    return str(row["PermissionSetId"])


def find_profile(store: OrgStore, profile: str) -> dict[str, Any]:
    obj = sobject(store, "Profile")
    rows = store.find_rows(obj, {"Id": profile}) if profile.startswith("00e") else []
    rows = rows or store.find_rows(obj, {"Name": profile})
    if not rows:
        raise ControlError(f"no profile '{profile}' in this org", status=404)
    return rows[0]


def find_permission_set(store: OrgStore, name_or_id: str) -> dict[str, Any]:
    obj = sobject(store, "PermissionSet")
    rows = store.find_rows(obj, {"Id": name_or_id}) if name_or_id.startswith("0PS") else []
    rows = rows or store.find_rows(obj, {"Name": name_or_id})
    if not rows:
        raise ControlError(f"no permission set '{name_or_id}' in this org", status=404)
    return rows[0]


def set_user_permissions(store: OrgStore, ps_id: str, permissions: Mapping[str, bool]) -> None:
    names = check_user_permissions(permissions)
    values = {f"Permissions{n}": bool(v) for n, v in zip(names, permissions.values(), strict=True)}
    store.update_row(sobject(store, "PermissionSet"), ps_id, values)
    store.version += 1


def set_object_permissions(
    store: OrgStore, ps_id: str, obj_name: str, perms: str | Iterable[str]
) -> None:
    """Replace the object permissions of a permission set on one object."""
    obj = sobject(store, obj_name)
    granted = set(parse_object_permissions(perms))
    table = sobject(store, "ObjectPermissions")
    values = {f"Permissions{n}": n in granted for n in OBJECT_PERMISSION_NAMES}
    existing = store.find_rows(table, {"ParentId": ps_id, "SobjectType": obj.name})
    if existing:
        store.update_row(table, existing[0]["Id"], values)
    else:
        store.insert_row(
            table,
            {
                "Id": store.new_id("110"),
                "ParentId": ps_id,
                "SobjectType": obj.name,
                **values,
                **audit_values(store.now_text(), None),
            },
        )
    store.version += 1


def set_field_permission(
    store: OrgStore, ps_id: str, obj_name: str, field_name: str, access: str
) -> None:
    """Field-level security of one field in one permission set: "edit", "read" or "none"."""
    set_field_permissions(store, ps_id, [(obj_name, field_name, access)])


def set_field_permissions(
    store: OrgStore, ps_id: str, grants: Iterable[tuple[str, str, str]]
) -> None:
    """Field-level security of several ``(object, field, access)`` in one permission set.

    Checked first, then written with one UPDATE batch and one INSERT batch.
    """
    wanted: dict[str, tuple[str, str]] = {}
    for obj_name, field_name, access in grants:
        obj = sobject(store, obj_name)
        fdef = obj.field(field_name)
        if fdef is None:
            raise ControlError(f"unknown field '{field_name}' on {obj.name}")
        if access not in ("edit", "read", "none"):
            raise ControlError("field access must be 'edit', 'read' or 'none'")
        wanted[f"{obj.name}.{fdef.name}"] = (obj.name, access)
    existing = {
        row["Field"]: row["Id"]
        for row in store.query(
            'SELECT Id, Field FROM "FieldPermissions" WHERE ParentId = ?', (ps_id,)
        )
    }
    updates = [
        (int(access != "none"), int(access == "edit"), existing[qualified])
        for qualified, (_, access) in wanted.items()
        if qualified in existing
    ]
    audit = audit_values(store.now_text(), None)
    inserts = [
        {
            "ParentId": ps_id,
            "SobjectType": obj_name,
            "Field": qualified,
            "PermissionsRead": access != "none",
            "PermissionsEdit": access == "edit",
        }
        | audit
        for qualified, (obj_name, access) in wanted.items()
        if qualified not in existing
    ]
    with store.lock:
        store.conn.executemany(
            'UPDATE "FieldPermissions" SET PermissionsRead = ?, PermissionsEdit = ? WHERE Id = ?',
            updates,
        )
    _insert_rows(store, sobject(store, "FieldPermissions"), inserts)
    store.version += 1


def assign_permission_set(store: OrgStore, user_id: str, ps_id: str) -> str:
    table = sobject(store, "PermissionSetAssignment")
    existing = store.find_rows(table, {"AssigneeId": user_id, "PermissionSetId": ps_id})
    if existing:
        return str(existing[0]["Id"])
    assignment_id = store.new_id("0Pa")
    store.insert_row(
        table,
        {
            "Id": assignment_id,
            "AssigneeId": user_id,
            "PermissionSetId": ps_id,
            "IsActive": True,
            **audit_values(store.now_text(), None),
        },
    )
    store.version += 1
    return assignment_id


def unassign_permission_set(store: OrgStore, user_id: str, ps_id: str) -> None:
    table = sobject(store, "PermissionSetAssignment")
    for row in store.find_rows(table, {"AssigneeId": user_id, "PermissionSetId": ps_id}):
        store.delete_row(table, row["Id"])
    store.version += 1


def set_login_ip_ranges(
    store: OrgStore, profile_id: str, ranges: Iterable[tuple[str, str]]
) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM _mock_profile_ip WHERE profile_id = ?", (profile_id,))
        conn.executemany(
            "INSERT INTO _mock_profile_ip (profile_id, start_ip, end_ip) VALUES (?, ?, ?)",
            [(profile_id, start, end) for start, end in ranges],
        )
    store.version += 1
