"""Creating an org and changing its settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ControlError
from ..security import SHARING_MODELS
from ..store import OrgStore, Registry
from .common import audit_values
from .permissions import STANDARD_PROFILES, create_profile


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
                **audit_values(now, None),
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
