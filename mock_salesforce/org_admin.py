"""Administering an org the way Setup would: profiles, permission sets, users, custom fields,
connected apps and records seeded with explicit audit fields. Used by the control plane and by
seed files; it bypasses the API's security checks on purpose.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ControlError
from .schema import DATA_OBJECTS, USER_PERMISSIONS, FieldDef, ObjectDef
from .security import OBJECT_PERMISSION_NAMES, SHARING_MODELS, permissionable_fields
from .store import OrgStore, Registry
from .store.ddl import quote

ALL = "all"
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


# -- orgs ------------------------------------------------------------------------------------
def create_org(
    registry: Registry, name: str = "Demo Org", settings: Mapping[str, Any] | None = None
) -> OrgStore:
    """A new org with the standard profiles and no users."""
    org_id, pod = registry.allocate()
    store = registry.add(org_id, pod)
    now = store.now_text()
    with store.transaction():
        store.insert_row(
            store.schema.object("Organization"),  # type: ignore[arg-type]
            {
                "Id": org_id,
                "Name": name,
                "OrganizationType": "Developer Edition",
                "InstanceName": "MOCK",
                "IsSandbox": False,
                "TimeZoneSidKey": "America/Los_Angeles",
                "LanguageLocaleKey": "en_US",
                "DefaultLocaleSidKey": "en_US",
                "Country": "US",
                **_audit(now, None),
            },
        )
        store.set_setting("name", name)
        for key, value in (settings or {}).items():
            set_org_setting(store, key, value)
        for profile_name, spec in STANDARD_PROFILES.items():
            create_profile(store, profile_name, spec)
    return store


ORG_SETTINGS = {
    "api_daily_limit": int,
    "session_timeout_seconds": int,
    "password_flow_enabled": bool,
    "lead_assignment_owner": str,
    "restricted_picklists": list,
}


def set_org_setting(store: OrgStore, key: str, value: Any) -> None:
    """One org setting, checked: sharing defaults (``sharing:Contact``) and ORG_SETTINGS."""
    if key.startswith("sharing:"):
        obj = store.schema.object(key.split(":", 1)[1])
        if obj is None:
            raise ControlError(f"unknown object in '{key}'")
        if value not in SHARING_MODELS:
            raise ControlError(f"sharing model must be one of {', '.join(SHARING_MODELS)}")
        store.set_setting(f"sharing:{obj.name}", value)
        return
    kind = ORG_SETTINGS.get(key)
    if kind is None:
        raise ControlError(
            f"unknown org setting '{key}'; known: sharing:<Object>, {', '.join(ORG_SETTINGS)}"
        )
    if value is not None and not isinstance(value, kind):
        raise ControlError(f"org setting '{key}' must be a {kind.__name__}")
    store.set_setting(key, value)


def _audit(now: str, user_id: str | None) -> dict[str, Any]:
    return {
        "CreatedDate": now,
        "LastModifiedDate": now,
        "SystemModstamp": now,
        "CreatedById": user_id,
        "LastModifiedById": user_id,
        "IsDeleted": False,
    }


def _obj(store: OrgStore, name: str) -> ObjectDef:
    obj = store.schema.object(name)
    if obj is None:
        raise ControlError(f"unknown sObject '{name}'")
    return obj


# -- profiles and permission sets ------------------------------------------------------------
def create_profile(store: OrgStore, name: str, spec: ProfileSpec) -> str:
    """A profile and its profile-owned permission set; returns the profile id."""
    if store.find_rows(_obj(store, "Profile"), {"Name": name}):
        raise ControlError(f"a profile named '{name}' already exists")
    now = store.now_text()
    profile_id = store.new_id("00e")
    ps_id = _insert_permission_set(
        store, f"X00e{profile_id[3:15]}", name, spec.user_permissions, owned_by=profile_id
    )
    store.insert_row(
        _obj(store, "Profile"),
        {
            "Id": profile_id,
            "Name": name,
            "UserType": spec.user_type,
            "UserLicenseId": spec.license,
            "PermissionSetId": ps_id,
            **_audit(now, None),
        },
    )
    _grant_new_permission_set(store, ps_id, spec)
    store.version += 1
    return profile_id


def _grant_new_permission_set(store: OrgStore, ps_id: str, spec: ProfileSpec) -> None:
    """A new profile's object and field permissions, in two batched inserts (it has none yet)."""
    audit = _audit(store.now_text(), None)
    object_rows, field_rows = [], []
    for obj_name, perms in spec.objects.items():
        obj = _obj(store, obj_name)
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
    _insert_rows(store, _obj(store, "ObjectPermissions"), object_rows)
    _insert_rows(store, _obj(store, "FieldPermissions"), field_rows)


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
    if store.find_rows(_obj(store, "PermissionSet"), {"Name": name}):
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
        **_audit(store.now_text(), None),
    }
    values.update({f"Permissions{p}": p in granted for p in USER_PERMISSIONS})
    store.insert_row(_obj(store, "PermissionSet"), values)
    store.version += 1
    return ps_id


def profile_permission_set(store: OrgStore, profile: str) -> str:
    """The profile-owned permission set of a profile given by id or name."""
    row = find_profile(store, profile)
    return str(row["PermissionSetId"])


def find_profile(store: OrgStore, profile: str) -> dict[str, Any]:
    obj = _obj(store, "Profile")
    rows = store.find_rows(obj, {"Id": profile}) if profile.startswith("00e") else []
    rows = rows or store.find_rows(obj, {"Name": profile})
    if not rows:
        raise ControlError(f"no profile '{profile}' in this org", status=404)
    return rows[0]


def find_permission_set(store: OrgStore, name_or_id: str) -> dict[str, Any]:
    obj = _obj(store, "PermissionSet")
    rows = store.find_rows(obj, {"Id": name_or_id}) if name_or_id.startswith("0PS") else []
    rows = rows or store.find_rows(obj, {"Name": name_or_id})
    if not rows:
        raise ControlError(f"no permission set '{name_or_id}' in this org", status=404)
    return rows[0]


def set_user_permissions(store: OrgStore, ps_id: str, permissions: Mapping[str, bool]) -> None:
    names = check_user_permissions(permissions)
    values = {f"Permissions{n}": bool(v) for n, v in zip(names, permissions.values(), strict=True)}
    store.update_row(_obj(store, "PermissionSet"), ps_id, values)
    store.version += 1


def set_object_permissions(
    store: OrgStore, ps_id: str, obj_name: str, perms: str | Iterable[str]
) -> None:
    """Replace the object permissions of a permission set on one object."""
    obj = _obj(store, obj_name)
    granted = set(parse_object_permissions(perms))
    table = _obj(store, "ObjectPermissions")
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
                **_audit(store.now_text(), None),
            },
        )
    store.version += 1


def set_field_permission(
    store: OrgStore, ps_id: str, obj_name: str, field_name: str, access: str
) -> None:
    """Field-level security of one field in one permission set: "edit", "read" or "none"."""
    obj = _obj(store, obj_name)
    fdef = obj.field(field_name)
    if fdef is None:
        raise ControlError(f"unknown field '{field_name}' on {obj.name}")
    if access not in ("edit", "read", "none"):
        raise ControlError("field access must be 'edit', 'read' or 'none'")
    table = _obj(store, "FieldPermissions")
    qualified = f"{obj.name}.{fdef.name}"
    values = {"PermissionsRead": access != "none", "PermissionsEdit": access == "edit"}
    existing = store.find_rows(table, {"ParentId": ps_id, "Field": qualified})
    if existing:
        store.update_row(table, existing[0]["Id"], values)
    else:
        store.insert_row(
            table,
            {
                "Id": store.new_id("01k"),
                "ParentId": ps_id,
                "SobjectType": obj.name,
                "Field": qualified,
                **values,
                **_audit(store.now_text(), None),
            },
        )
    store.version += 1


def assign_permission_set(store: OrgStore, user_id: str, ps_id: str) -> str:
    table = _obj(store, "PermissionSetAssignment")
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
            **_audit(store.now_text(), None),
        },
    )
    store.version += 1
    return assignment_id


def unassign_permission_set(store: OrgStore, user_id: str, ps_id: str) -> None:
    table = _obj(store, "PermissionSetAssignment")
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


# -- users -----------------------------------------------------------------------------------
def hash_password(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def create_user(store: OrgStore, spec: Mapping[str, Any]) -> str:
    """A user from a spec (username, last_name, profile, ...); returns the user id."""
    username = _required(spec, "username")
    if store.find_rows(_obj(store, "User"), {"Username": username}):
        raise ControlError(f"username '{username}' is already taken in this org")
    profile = find_profile(store, str(spec.get("profile", "Standard User")))
    user_id = store.new_id("005")
    first, last = spec.get("first_name"), spec.get("last_name") or username.split("@")[0]
    now = store.now_text()
    store.insert_row(
        _obj(store, "User"),
        {
            "Id": user_id,
            "Username": username,
            "FirstName": first,
            "LastName": last,
            "Name": " ".join(p for p in (first, last) if p),
            "Alias": (spec.get("alias") or last)[:8],
            "Email": spec.get("email") or username,
            "CommunityNickname": spec.get("alias") or last,
            "IsActive": bool(spec.get("active", True)),
            "ProfileId": profile["Id"],
            "UserType": "Standard",
            "Title": spec.get("title"),
            "TimeZoneSidKey": "America/Los_Angeles",
            "LocaleSidKey": "en_US",
            "LanguageLocaleKey": "en_US",
            "EmailEncodingKey": "UTF-8",
            **_audit(now, None),
        },
    )
    store.insert_row(
        _obj(store, "UserLogin"),
        {
            "Id": store.new_id("060"),
            "UserId": user_id,
            "IsFrozen": bool(spec.get("frozen", False)),
            "IsPasswordLocked": False,
            **_audit(now, None),
        },
    )
    assign_permission_set(store, user_id, str(profile["PermissionSetId"]))
    for ps in spec.get("permission_sets", ()):
        assign_permission_set(store, user_id, str(find_permission_set(store, ps)["Id"]))
    set_password(
        store,
        user_id,
        str(spec.get("password") or secrets.token_urlsafe(12)),
        spec.get("security_token"),
    )
    return user_id


def set_password(
    store: OrgStore, user_id: str, password: str, security_token: str | None = None
) -> None:
    salt = secrets.token_hex(8)
    token = security_token or secrets.token_urlsafe(18)[:24]
    store.execute(
        "INSERT INTO _mock_credential (user_id, password_hash, salt, security_token, changed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
        "password_hash = excluded.password_hash, salt = excluded.salt, "
        "security_token = excluded.security_token, changed_at = excluded.changed_at",
        (user_id, hash_password(password, salt), salt, token, store.now_text()),
    )


def find_user(store: OrgStore, user: str) -> dict[str, Any]:
    """A user by id, username or alias (404 ControlError when missing)."""
    obj = _obj(store, "User")
    rows = (
        store.find_rows(obj, {"Id": user})
        if user.startswith("005") and len(user) in (15, 18)
        else []
    )
    rows = rows or store.find_rows(obj, {"Username": user}) or store.find_rows(obj, {"Alias": user})
    if not rows:
        raise ControlError(f"no user '{user}' in this org", status=404)
    return rows[0]


def set_user_state(
    store: OrgStore, user_id: str, active: bool | None = None, frozen: bool | None = None
) -> None:
    if active is not None:
        store.update_row(_obj(store, "User"), user_id, {"IsActive": active})
    if frozen is not None:
        login = _obj(store, "UserLogin")
        for row in store.find_rows(login, {"UserId": user_id}):
            store.update_row(login, row["Id"], {"IsFrozen": frozen})
    store.version += 1


def _required(spec: Mapping[str, Any], key: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value:
        raise ControlError(f"'{key}' is required")
    return value


# -- custom fields ---------------------------------------------------------------------------
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
    obj = _obj(store, _required(spec, "object"))
    name = _required(spec, "name")
    if not name.endswith("__c"):
        raise ControlError(f"custom field names end in '__c': '{name}'")
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
        attrs["reference_to"] = (_obj(store, _required(spec, "reference_to")).name,)
        attrs["relationship_name"] = name.removesuffix("__c") + "__r"
    if attrs["external_id"]:
        attrs["id_lookup"] = True
    fdef = FieldDef(**attrs)
    store.add_custom_field(obj, fdef)
    access = spec.get("access", "edit")
    obj = _obj(store, obj.name)
    for row in store.find_rows(_obj(store, "ObjectPermissions"), {"SobjectType": obj.name}):
        if row["PermissionsRead"] and access != "none":
            level = access if row["PermissionsEdit"] else "read"
            set_field_permission(store, row["ParentId"], obj.name, name, level)
    return fdef


# -- connected apps --------------------------------------------------------------------------
def save_connected_app(store: OrgStore, definition: Mapping[str, Any]) -> dict[str, Any]:
    """Create or replace a connected app; returns it with its generated client id/secret."""
    app = dict(definition)
    app.setdefault(
        "client_id", "3MVG9" + secrets.token_urlsafe(60)[:80].replace("-", "A").replace("_", "b")
    )
    app.setdefault("client_secret", secrets.token_hex(32).upper())
    name = app.get("name") or "Connected App"
    app["name"] = name
    store.execute(
        "INSERT INTO _mock_connected_app (client_id, name, definition) VALUES (?, ?, ?) "
        "ON CONFLICT(client_id) DO UPDATE SET name = excluded.name, "
        "definition = excluded.definition",
        (app["client_id"], name, json.dumps(app)),
    )
    store.version += 1
    return app


def connected_apps(store: OrgStore) -> list[dict[str, Any]]:
    return [
        json.loads(r["definition"])
        for r in store.query("SELECT definition FROM _mock_connected_app ORDER BY rowid")
    ]


def find_connected_app(store: OrgStore, client_id_or_name: str) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT definition FROM _mock_connected_app WHERE client_id = ? OR name = ?",
        (client_id_or_name, client_id_or_name),
    )
    return json.loads(rows[0]["definition"]) if rows else None


# -- records ---------------------------------------------------------------------------------
def seed_record(
    store: OrgStore, obj_name: str, values: Mapping[str, Any], acting_user: str | None
) -> str:
    """Insert a record as test setup: no security, audit fields settable, defaults applied."""
    from .schema.values import format_datetime, parse_datetime

    obj = _obj(store, obj_name)
    if obj.setup:
        raise ControlError(f"{obj.name} rows are created through their own control-plane routes")
    row: dict[str, Any] = {}
    for key, value in values.items():
        fdef = obj.field(key)
        if fdef is None:
            raise ControlError(f"No such column '{key}' on sobject of type {obj.name}")
        row[fdef.name] = value
    now = store.now_text()
    created = format_datetime(parse_datetime(row["CreatedDate"])) if row.get("CreatedDate") else now
    creator = row.get("CreatedById") or acting_user
    record_id = store.new_id(obj.key_prefix)
    for fdef in obj.fields:
        if fdef.name not in row and fdef.default is not None:
            row[fdef.name] = fdef.default
    row.update(
        {
            "Id": record_id,
            "IsDeleted": False,
            "CreatedDate": created,
            "CreatedById": creator,
            "LastModifiedDate": row.get("LastModifiedDate", created),
            "LastModifiedById": row.get("LastModifiedById", creator),
            "SystemModstamp": now,
        }
    )
    if obj.has_owner:
        row.setdefault("OwnerId", creator)
    from .derived import apply_derived

    apply_derived(store, obj, row)
    try:
        store.insert_row(obj, row)
    except (ValueError, KeyError) as exc:
        raise ControlError(f"bad value for {obj.name}: {exc}") from exc
    return record_id


def change_profile(store: OrgStore, user_id: str, profile: str) -> None:
    """Move a user to another profile (its profile-owned permission set follows)."""
    new = find_profile(store, profile)
    old = store.query('SELECT ProfileId FROM "User" WHERE Id = ?', (user_id,))[0]["ProfileId"]
    unassign_permission_set(store, user_id, profile_permission_set(store, old))
    store.update_row(_obj(store, "User"), user_id, {"ProfileId": new["Id"]})
    assign_permission_set(store, user_id, str(new["PermissionSetId"]))


APP_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "client_id": str,
    "client_secret": str,
    "callback_urls": list,
    "scopes": list,
    "permitted_users": str,
    "approved_profiles": list,
    "approved_permission_sets": list,
    "refresh_token_policy": dict,
    "rotation": bool,
    "client_credentials_user": (str, type(None)),
    "certificate": (str, type(None)),
    "pkce_required": bool,
    "require_secret": bool,
    "blocked": bool,
    "description": str,
}
REFRESH_POLICIES = ("until_revoked", "expire_after", "expire_if_unused", "immediately")
DEFAULT_SCOPES = [
    "api",
    "refresh_token",
    "offline_access",
    "id",
    "openid",
    "profile",
    "email",
    "web",
    "full",
]


def check_app_spec(store: OrgStore, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A connected app definition, checked, with defaults filled in."""
    unknown = set(spec) - set(APP_KEYS)
    if unknown:
        raise ControlError(
            f"unknown connected app key(s) {sorted(unknown)}; known: {', '.join(APP_KEYS)}"
        )
    for key, kind in APP_KEYS.items():
        if key in spec and not isinstance(spec[key], kind):
            raise ControlError(f"connected app '{key}' has the wrong type")
    app = dict(spec)
    app.setdefault("callback_urls", [])
    app.setdefault("scopes", list(DEFAULT_SCOPES))
    app.setdefault("permitted_users", "all")
    app.setdefault("refresh_token_policy", {"type": "until_revoked"})
    app.setdefault("rotation", False)
    app.setdefault("pkce_required", False)
    app.setdefault("require_secret", True)
    app.setdefault("blocked", False)
    if app["permitted_users"] not in ("all", "admin_approved"):
        raise ControlError("permitted_users is 'all' (self-authorize) or 'admin_approved'")
    if app["refresh_token_policy"].get("type") not in REFRESH_POLICIES:
        raise ControlError(f"refresh_token_policy.type is one of {', '.join(REFRESH_POLICIES)}")
    if app.get("client_credentials_user"):
        find_user(store, app["client_credentials_user"])
    for profile in app.get("approved_profiles", ()):
        find_profile(store, profile)
    for ps in app.get("approved_permission_sets", ()):
        find_permission_set(store, ps)
    return app
