"""Administering an org the way Setup would: profiles, permission sets, users, custom fields,
connected apps and records seeded with explicit audit fields. Used by the control plane and by
seed files; it bypasses the API's security checks on purpose.
"""

from __future__ import annotations

from ..security import OBJECT_PERMISSION_NAMES
from .apps import (
    APP_KEYS,
    DEFAULT_SCOPES,
    REFRESH_POLICIES,
    check_app_spec,
    connected_apps,
    find_connected_app,
    save_connected_app,
)
from .clone import clone_org, clone_summary
from .common import ALL
from .fields import CUSTOM_FIELD_TYPES, add_custom_field
from .grants import apply_grants, grants_summary
from .orgs import ORG_SETTINGS, create_org, set_org_setting
from .permissions import (
    STANDARD_PROFILES,
    ProfileSpec,
    assign_permission_set,
    check_user_permissions,
    create_permission_set,
    create_profile,
    find_permission_set,
    find_profile,
    parse_object_permissions,
    profile_permission_set,
    set_field_permission,
    set_field_permissions,
    set_login_ip_ranges,
    set_object_permissions,
    set_user_permissions,
    unassign_permission_set,
)
from .records import default_creator, resolve_user_refs, seed_record
from .users import (
    change_profile,
    create_user,
    find_user,
    hash_password,
    set_password,
    set_time_zone,
    set_user_state,
    user_access,
    user_summary,
)

__all__ = [
    "ALL",
    "APP_KEYS",
    "CUSTOM_FIELD_TYPES",
    "DEFAULT_SCOPES",
    "OBJECT_PERMISSION_NAMES",
    "ORG_SETTINGS",
    "REFRESH_POLICIES",
    "STANDARD_PROFILES",
    "ProfileSpec",
    "add_custom_field",
    "apply_grants",
    "assign_permission_set",
    "change_profile",
    "check_app_spec",
    "check_user_permissions",
    "clone_org",
    "clone_summary",
    "connected_apps",
    "create_org",
    "create_permission_set",
    "create_profile",
    "create_user",
    "default_creator",
    "find_connected_app",
    "find_permission_set",
    "find_profile",
    "find_user",
    "grants_summary",
    "hash_password",
    "parse_object_permissions",
    "profile_permission_set",
    "resolve_user_refs",
    "save_connected_app",
    "seed_record",
    "set_field_permission",
    "set_field_permissions",
    "set_login_ip_ranges",
    "set_object_permissions",
    "set_org_setting",
    "set_password",
    "set_time_zone",
    "set_user_permissions",
    "set_user_state",
    "unassign_permission_set",
    "user_access",
    "user_summary",
]
