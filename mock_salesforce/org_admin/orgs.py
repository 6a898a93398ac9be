"""Creating an org and changing its settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from .. import ids
from ..errors import ControlError
from ..security import SHARING_MODELS
from ..store import OrgStore, Registry
from .common import audit_values
from .permissions import STANDARD_PROFILES, create_profile

_IMAGE_LOCK = threading.Lock()
_STANDARD_IMAGE: list[bytes] = []
# Setup rows of the standard profiles and the id columns that point at them.
_PROFILE_ID_COLUMNS = {
    "Profile": ("Id", "PermissionSetId"),
    "PermissionSet": ("Id", "ProfileId"),
    "ObjectPermissions": ("Id", "ParentId"),
    "FieldPermissions": ("Id", "ParentId"),
}


def _standard_image() -> bytes:
    """An org database holding only the standard profiles, built once per process.

    Building five profiles with their object and field permissions is most of an org's setup
    cost; copying this image and moving its ids to the new org's pod is a few milliseconds.
    """
    with _IMAGE_LOCK:
        if not _STANDARD_IMAGE:
            store = OrgStore("00D000000000000AAA", "000")
            with store.transaction():
                for profile_name, spec in STANDARD_PROFILES.items():
                    create_profile(store, profile_name, spec)
            _STANDARD_IMAGE.append(store.snapshot())
            store.close()
        return _STANDARD_IMAGE[0]


def _move_to_pod(store: OrgStore) -> None:
    """Give the standard profiles' rows this org's ids (pod) and this org's creation time."""
    pod, now = store.pod, store.now_text()

    def moved(value: str | None) -> str | None:
        if value is None:
            return None
        stem = value[:3] + pod + value[6:15]  # the image's own ids: well formed
        return stem + ids.checksum(stem)

    store.conn.create_function("sf_move_id", 1, moved, deterministic=True)
    for table, columns in _PROFILE_ID_COLUMNS.items():
        assignments = ", ".join(f'"{c}" = sf_move_id("{c}")' for c in columns)
        store.execute(
            f'UPDATE "{table}" SET {assignments}, CreatedDate = ?, LastModifiedDate = ?, '
            "SystemModstamp = ?",
            (now, now, now),
        )
    store.execute(
        "UPDATE \"PermissionSet\" SET Name = 'X00e' || substr(ProfileId, 4, 12) "
        "WHERE IsOwnedByProfile = 1"
    )


def create_org(
    registry: Registry,
    name: str = "Demo Org",
    settings: Mapping[str, Any] | None = None,
    populate: Callable[[OrgStore], None] | None = None,
) -> OrgStore:
    """A new org with the standard profiles and no users. With ``populate``, that function
    fills the org in before anyone can see it (users, apps, records: a seed), and the result
    is kept as the org's reset point."""
    org_id, pod = registry.allocate()
    if settings is not None and not isinstance(settings, Mapping):
        raise ControlError("org 'settings' must be an object")

    def prepare(store: OrgStore) -> None:
        _initialise(store, org_id, name, settings or {})
        if populate is not None:
            populate(store)

    return registry.add(org_id, pod, _standard_image(), prepare=prepare, reset_point=bool(populate))


def _initialise(store: OrgStore, org_id: str, name: str, settings: Mapping[str, Any]) -> None:
    """The standard profiles moved to this org, its Organization row and its settings."""
    now = store.now_text()
    with store.transaction():
        _move_to_pod(store)
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
                **audit_values(now, None),
            },
        )
        store.set_setting("name", name)
        for key, value in settings.items():
            set_org_setting(store, key, value)


ORG_SETTINGS = {
    "api_daily_limit": int,
    "session_timeout_seconds": int,
    "password_flow_enabled": bool,
    "lead_assignment_owner": str,
    "accepts_logins": bool,
    "instance_url": str,
    "client_credentials_own_domain": bool,
    "restricted_picklists": list,
    "journal_bodies": bool,
    "journal_limit": int,
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
    if (value is None and kind in (int, bool)) or (
        value is not None
        and (not isinstance(value, kind) or isinstance(value, bool) != (kind is bool))
    ):
        raise ControlError(f"org setting '{key}' must be a {kind.__name__}")
    if key in SETTING_RANGES:
        low, high = SETTING_RANGES[key]
        if isinstance(value, int) and not low <= value <= high:
            raise ControlError(f"org setting '{key}' must be between {low} and {high}")
    store.set_setting(key, value)


# Numbers beyond these would break the org (a timeout no clock can add, a limit no counter
# reaches): Salesforce's session timeout is at most 24 hours; the daily API allocation of the
# largest editions is in the millions.
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "api_daily_limit": (1, 1_000_000_000),
    "session_timeout_seconds": (1, 7 * 24 * 3600),
    "journal_limit": (1, 1_000_000),
}
