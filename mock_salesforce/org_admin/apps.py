"""Connected apps: stored definitions, checked."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from ..errors import ControlError
from ..store import OrgStore
from .permissions import find_permission_set, find_profile
from .users import find_user


def new_client_id() -> str:
    """A consumer key shaped like Salesforce's (``3MVG9`` and 80 more characters)."""
    return "3MVG9" + secrets.token_urlsafe(60)[:80].replace("-", "A").replace("_", "b")


def save_connected_app(store: OrgStore, definition: Mapping[str, Any]) -> dict[str, Any]:
    """Create or replace a connected app; returns it with its generated client id/secret."""
    app = dict(definition)
    app.setdefault("client_id", new_client_id())
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
