"""Users: creating them, their passwords, state and profile."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ControlError
from ..pipeline.sessions import end_user_sessions, security_for
from ..security import API_ONLY, permissionable_fields
from ..store import OrgStore
from .common import audit_values, required, sobject
from .permissions import (
    assign_permission_set,
    find_permission_set,
    find_profile,
    profile_permission_set,
    unassign_permission_set,
)


def hash_password(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def create_user(store: OrgStore, spec: Mapping[str, Any]) -> str:
    """A user from a spec (username, last_name, profile, ...); returns the user id."""
    username = required(spec, "username")
    for flag in ("active", "frozen"):
        if flag in spec and not isinstance(spec[flag], bool):
            raise ControlError(f"'{flag}' is true or false, not {spec[flag]!r}")
    if not isinstance(spec.get("permission_sets", []), list):
        raise ControlError("'permission_sets' is a list of permission set names")
    if store.find_rows(sobject(store, "User"), {"Username": username}):
        raise ControlError(f"username '{username}' is already taken in this org")
    profile = find_profile(store, str(spec.get("profile", "Standard User")))
    user_id = store.new_id("005")
    first, last = spec.get("first_name"), spec.get("last_name") or username.split("@")[0]
    now = store.now_text()
    store.insert_row(
        sobject(store, "User"),
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
            "TimeZoneSidKey": checked_time_zone(spec.get("time_zone") or "America/Los_Angeles"),
            "LocaleSidKey": "en_US",
            "LanguageLocaleKey": "en_US",
            "EmailEncodingKey": "UTF-8",
            **audit_values(now, None),
        },
    )
    store.insert_row(
        sobject(store, "UserLogin"),
        {
            "Id": store.new_id("060"),
            "UserId": user_id,
            "IsFrozen": bool(spec.get("frozen", False)),
            "IsPasswordLocked": False,
            **audit_values(now, None),
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
    """A new password (and security token); a user who had one is logged out everywhere."""
    salt = secrets.token_hex(8)
    token = security_token or secrets.token_urlsafe(18)[:24]
    had_one = store.query("SELECT 1 FROM _mock_credential WHERE user_id = ?", (user_id,))
    store.execute(
        "INSERT INTO _mock_credential (user_id, password_hash, salt, security_token, changed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
        "password_hash = excluded.password_hash, salt = excluded.salt, "
        "security_token = excluded.security_token, changed_at = excluded.changed_at",
        (user_id, hash_password(password, salt), salt, token, store.now_text()),
    )
    if had_one:
        end_user_sessions(store, user_id)


def find_user(store: OrgStore, user: str) -> dict[str, Any]:
    """A user by id, username or alias (404 ControlError when missing)."""
    obj = sobject(store, "User")
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
    """Activate, deactivate, freeze or unfreeze; deactivating or freezing logs the user out
    everywhere (access tokens, refresh tokens, browser sessions), as Salesforce does."""
    if active is not None:
        store.update_row(sobject(store, "User"), user_id, {"IsActive": active})
    if frozen is not None:
        login = sobject(store, "UserLogin")
        for row in store.find_rows(login, {"UserId": user_id}):
            store.update_row(login, row["Id"], {"IsFrozen": frozen})
    store.version += 1
    if active is False or frozen is True:
        end_user_sessions(store, user_id)


def change_profile(store: OrgStore, user_id: str, profile: str) -> None:
    """Move a user to another profile (its profile-owned permission set follows)."""
    new = find_profile(store, profile)
    old = store.query('SELECT ProfileId FROM "User" WHERE Id = ?', (user_id,))[0]["ProfileId"]
    unassign_permission_set(store, user_id, profile_permission_set(store, old))
    store.update_row(sobject(store, "User"), user_id, {"ProfileId": new["Id"]})
    assign_permission_set(store, user_id, str(new["PermissionSetId"]))


def checked_time_zone(value: Any) -> str:
    """An IANA time zone name (``Europe/Paris``), as ``User.TimeZoneSidKey`` holds it."""
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ControlError(
            f"unknown time zone {value!r} (an IANA name such as Europe/Paris)"
        ) from None
    return str(value)


def set_time_zone(store: OrgStore, user_id: str, value: Any) -> None:
    """The user's time zone: SOQL date literals and convertTimezone() follow it."""
    store.update_row(sobject(store, "User"), user_id, {"TimeZoneSidKey": checked_time_zone(value)})


def user_summary(store: OrgStore, user: dict[str, Any]) -> dict[str, Any]:
    """A user as the control plane shows it: profile, state, permission sets, permissions."""
    profile = find_profile(store, user["ProfileId"])
    login = store.query('SELECT IsFrozen FROM "UserLogin" WHERE UserId = ?', (user["Id"],))
    evaluator = security_for(store)
    ps_ids = evaluator.permission_set_ids(user["Id"])
    names = [
        r["Name"]
        for r in store.query(
            f'SELECT Name FROM "PermissionSet" WHERE IsOwnedByProfile = 0 AND Id IN '
            f"({','.join('?' for _ in ps_ids) or 'NULL'})",
            ps_ids,
        )
    ]
    granted = evaluator.user_permissions(user["Id"])
    return {
        "id": user["Id"],
        "username": user["Username"],
        "name": user["Name"],
        "first_name": user["FirstName"],
        "last_name": user["LastName"],
        "alias": user["Alias"],
        "email": user["Email"],
        "profile": profile["Name"],
        "profile_id": profile["Id"],
        "active": user["IsActive"],
        "frozen": bool(login and login[0]["IsFrozen"]),
        "permission_sets": names,
        "user_permissions": sorted(granted),
        "api_only": API_ONLY in granted,
        "time_zone": user["TimeZoneSidKey"],
    }


def user_access(store: OrgStore, user: str, sobject_name: str) -> dict[str, Any]:
    """What a user may do on an object, as the API's own evaluator decides it: object access
    (after View All Data / Modify All Data) and each permissionable field's read/edit access."""
    row = find_user(store, user)
    obj = sobject(store, sobject_name)
    perms = security_for(store).permissions(row["Id"])
    access = perms.object_access(obj)
    fields = {}
    for fdef in permissionable_fields(obj):
        read, edit = perms.field_access(obj, fdef)
        fields[fdef.name] = "edit" if edit else "read" if read else "none"
    return {
        "user": row["Username"],
        "object": obj.name,
        "read": access.read,
        "create": access.create,
        "edit": access.edit,
        "delete": access.delete,
        "view_all": access.view_all,
        "modify_all": access.modify_all,
        "fields": fields,
    }
