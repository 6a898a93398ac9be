"""Profiles, permission sets, object and field access, user permissions and sharing.

Effective permissions are the union of the user's profile (through its profile-owned permission
set) and every assigned permission set; permission sets only add (Salesforce Help, "Permission
Sets"). This module is the one evaluator: REST, describe, composite and SOQL all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .schema import DATA_OBJECTS, FieldDef, ObjectDef
from .store import OrgStore

SharingModel = Literal["Private", "Read", "ReadWrite"]
SHARING_MODELS: tuple[SharingModel, ...] = ("Private", "Read", "ReadWrite")
OBJECT_PERMISSION_NAMES = ("Read", "Create", "Edit", "Delete", "ViewAllRecords", "ModifyAllRecords")


@dataclass(frozen=True)
class ObjectAccess:
    """Object permissions after Modify All Data / View All Data are applied."""

    read: bool = False
    create: bool = False
    edit: bool = False
    delete: bool = False
    view_all: bool = False
    modify_all: bool = False

    def merge(self, other: ObjectAccess) -> ObjectAccess:
        return ObjectAccess(
            *(a or b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True))
        )

    def as_tuple(self) -> tuple[bool, ...]:
        return (self.read, self.create, self.edit, self.delete, self.view_all, self.modify_all)


NO_ACCESS = ObjectAccess()
FULL_ACCESS = ObjectAccess(True, True, True, True, True, True)


@dataclass(frozen=True)
class UserState:
    user_id: str
    username: str
    profile_id: str
    active: bool
    frozen: bool


# The user permission of an API Only user (Setup, "API Only User").
API_ONLY = "ApiUserOnly"


@dataclass(frozen=True)
class EffectivePermissions:
    """What one user may do in one org, computed once per security version."""

    user: UserState
    user_permissions: frozenset[str]
    objects: dict[str, ObjectAccess] = field(default_factory=dict)
    fields: dict[tuple[str, str], tuple[bool, bool]] = field(default_factory=dict)
    _readable: dict[tuple[str, int], list[FieldDef]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def has(self, permission: str) -> bool:
        """A user permission by its name without the ``Permissions`` prefix (``ApiEnabled``)."""
        return permission in self.user_permissions

    @property
    def api_enabled(self) -> bool:
        return self.has("ApiEnabled")

    @property
    def api_only(self) -> bool:
        return self.has(API_ONLY)

    def object_access(self, obj: ObjectDef) -> ObjectAccess:
        if obj.setup:
            return self._setup_access(obj)
        access = self.objects.get(obj.name.lower(), NO_ACCESS)
        if self.has("ModifyAllData"):
            return FULL_ACCESS
        if self.has("ViewAllData") and access.read is False:
            access = access.merge(ObjectAccess(read=True, view_all=True))
        elif self.has("ViewAllData"):
            access = access.merge(ObjectAccess(view_all=True))
        return access

    def _setup_access(self, obj: ObjectDef) -> ObjectAccess:
        # Setup objects: users are readable by everyone; the permission objects need
        # View Setup and Configuration (Summer '20 and later).
        if obj.name in ("User", "Organization", "Group", "Profile"):
            return ObjectAccess(read=True)
        if obj.name == "UserLogin":
            return ObjectAccess(read=self.has("ManageUsers"))
        return ObjectAccess(read=self.has("ViewSetup") or self.has("ModifyAllData"))

    def field_access(self, obj: ObjectDef, fdef: FieldDef) -> tuple[bool, bool]:
        """(readable, editable) for ``fdef`` under field-level security."""
        if obj.setup or not _permissionable(fdef):
            return True, True
        # Even administrators obey field-level security; their profile simply grants every field.
        read, edit = self.fields.get((obj.name.lower(), fdef.name.lower()), (False, False))
        return read, edit and read

    def can_read_field(self, obj: ObjectDef, fdef: FieldDef) -> bool:
        return self.field_access(obj, fdef)[0]

    def can_edit_field(self, obj: ObjectDef, fdef: FieldDef) -> bool:
        return self.field_access(obj, fdef)[1]

    def readable_fields(self, obj: ObjectDef) -> list[FieldDef]:
        """Kept per object: these permissions are rebuilt whenever the org's version moves
        (a new custom field included), so the list cannot go stale."""
        key = (obj.name, len(obj.fields))
        found = self._readable.get(key)
        if found is None:
            found = [f for f in obj.fields if self.can_read_field(obj, f)]
            self._readable[key] = found
        return list(found)


def _permissionable(fdef: FieldDef) -> bool:
    """Fields FLS applies to: not system fields, not required fields, not compound names."""
    if not fdef.permissionable or fdef.name == "Id":
        return False
    if fdef.name_field or fdef.derived == "full_name":
        return False
    return not (not fdef.nillable and not fdef.defaulted_on_create)


def permissionable_fields(obj: ObjectDef) -> list[FieldDef]:
    return [f for f in obj.fields if _permissionable(f)]


class SecurityEvaluator:
    """Reads the security objects of one org; caches per user until the org's version moves."""

    def __init__(self, store: OrgStore) -> None:
        self.store = store
        self._cache: dict[str, tuple[int, EffectivePermissions]] = {}

    def user_state(self, user_id: str) -> UserState | None:
        rows = self.store.query(
            "SELECT u.Id, u.Username, u.ProfileId, u.IsActive, "
            'COALESCE(l.IsFrozen, 0) AS IsFrozen FROM "User" u '
            'LEFT JOIN "UserLogin" l ON l.UserId = u.Id WHERE u.Id = ?',
            (user_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return UserState(
            row["Id"],
            row["Username"],
            row["ProfileId"],
            bool(row["IsActive"]),
            bool(row["IsFrozen"]),
        )

    def permissions(self, user_id: str) -> EffectivePermissions:
        """The effective permissions of ``user_id`` (KeyError for an unknown user)."""
        version = self.store.version
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        computed = self._compute(user_id)
        self._cache[user_id] = (version, computed)
        return computed

    def user_permissions(self, user_id: str) -> frozenset[str]:
        """The user permissions ``user_id``'s permission sets grant, as ``permissions``
        has them, without computing object and field access when they are not kept."""
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] == self.store.version:
            return cached[1].user_permissions
        return self._granted(self.permission_set_ids(user_id))

    def _granted(self, sets: list[str]) -> frozenset[str]:
        marks = ",".join("?" for _ in sets) or "NULL"
        perm_rows = self.store.query(f'SELECT * FROM "PermissionSet" WHERE Id IN ({marks})', sets)
        return frozenset(
            key.removeprefix("Permissions")
            for row in perm_rows
            for key in row.keys()  # noqa: SIM118
            if key.startswith("Permissions") and row[key]
        )

    def _compute(self, user_id: str) -> EffectivePermissions:
        user = self.user_state(user_id)
        if user is None:
            raise KeyError(user_id)
        sets = self.permission_set_ids(user_id)
        marks = ",".join("?" for _ in sets) or "NULL"
        granted = self._granted(sets)
        objects: dict[str, ObjectAccess] = {}
        for row in self.store.query(
            f'SELECT * FROM "ObjectPermissions" WHERE ParentId IN ({marks})', sets
        ):
            access = ObjectAccess(*(bool(row[f"Permissions{n}"]) for n in OBJECT_PERMISSION_NAMES))
            key = row["SobjectType"].lower()
            objects[key] = objects.get(key, NO_ACCESS).merge(access)
        fields: dict[tuple[str, str], tuple[bool, bool]] = {}
        for row in self.store.query(
            f'SELECT * FROM "FieldPermissions" WHERE ParentId IN ({marks})', sets
        ):
            obj_name, _, field_name = row["Field"].partition(".")
            key = (obj_name.lower(), field_name.lower())
            old = fields.get(key, (False, False))
            fields[key] = (
                old[0] or bool(row["PermissionsRead"]),
                old[1] or bool(row["PermissionsEdit"]),
            )
        return EffectivePermissions(user, granted, objects, fields)

    def permission_set_ids(self, user_id: str) -> list[str]:
        """The user's permission sets, the profile-owned one included."""
        rows = self.store.query(
            'SELECT PermissionSetId FROM "PermissionSetAssignment" WHERE AssigneeId = ?',
            (user_id,),
        )
        return [row["PermissionSetId"] for row in rows]

    # -- sharing ---------------------------------------------------------------------------
    def sharing_model(self, obj: ObjectDef) -> SharingModel:
        """The organization-wide default of ``obj`` (Public Read/Write unless set)."""
        value = self.store.setting(f"sharing:{obj.name}", "ReadWrite")
        return value if value in SHARING_MODELS else "ReadWrite"

    def can_see(self, perms: EffectivePermissions, obj: ObjectDef, owner_id: str | None) -> bool:
        """Record visibility: owner, View All, or an org-wide default other than Private."""
        if obj.setup or not obj.has_owner:
            return perms.object_access(obj).read
        access = perms.object_access(obj)
        if not access.read:
            return False
        if access.view_all or owner_id == perms.user.user_id:
            return True
        return self.sharing_model(obj) != "Private"

    def can_modify(self, perms: EffectivePermissions, obj: ObjectDef, owner_id: str | None) -> bool:
        """Edit access to a record: owner, Modify All, or Public Read/Write."""
        access = perms.object_access(obj)
        if not access.edit:
            return False
        if access.modify_all or owner_id == perms.user.user_id:
            return True
        return self.sharing_model(obj) == "ReadWrite"

    def can_delete(self, perms: EffectivePermissions, obj: ObjectDef, owner_id: str | None) -> bool:
        """Delete needs full access: the owner or Modify All. A Public Read/Write default lets
        others edit a record, not delete it (Salesforce Help, "Organization-Wide Sharing
        Defaults")."""
        access = perms.object_access(obj)
        if not access.delete:
            return False
        return access.modify_all or not obj.has_owner or owner_id == perms.user.user_id

    def can_transfer(
        self, perms: EffectivePermissions, obj: ObjectDef, owner_id: str | None
    ) -> bool:
        """Changing the owner: the owner, Modify All, Transfer Record (Transfer Leads)."""
        if owner_id == perms.user.user_id or perms.object_access(obj).modify_all:
            return True
        if perms.has("TransferAnyEntity"):
            return True
        return obj.name == "Lead" and perms.has("TransferAnyLead")

    def visibility_sql(
        self, perms: EffectivePermissions, obj: ObjectDef, alias: str
    ) -> tuple[str, list[str]]:
        """An SQL condition (and its parameters) that keeps only the rows the user can see."""
        if obj.setup or not obj.has_owner:
            return "1", []
        access = perms.object_access(obj)
        if not access.read:
            return "0", []
        if access.view_all or self.sharing_model(obj) != "Private":
            return "1", []
        return f'{alias}."OwnerId" = ?', [perms.user.user_id]


DEFAULT_OBJECTS = tuple(o.name for o in DATA_OBJECTS)
