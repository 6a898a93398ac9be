"""Users: create, list, inspect, change state, sessions a test can use directly."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from .. import org_admin
from ..errors import ControlError
from ..pipeline import sessions
from ..store import OrgStore
from . import bp
from .common import base_url, body, instance_url, org
from .openapi import accepts


@bp.post("/orgs/<org_id>/users")
@accepts(
    {
        "username": str,
        "first_name": str,
        "last_name": str,
        "alias": str,
        "email": str,
        "profile": str,
        "password": str,
        "security_token": str,
        "permission_sets": list,
        "active": bool,
        "frozen": bool,
    },
    required=["username"],
)
def create_user(org_id: str) -> tuple[Response, int]:
    """Create a user: username, last_name, profile, password, security_token, permission_sets,
    time_zone."""
    store = org(org_id)
    with store.transaction():
        user_id = org_admin.create_user(store, body())
    return jsonify(org_admin.user_summary(store, org_admin.find_user(store, user_id))), 201


@bp.get("/orgs/<org_id>/users")
def list_users(org_id: str) -> Response:
    store = org(org_id)
    rows = store.query('SELECT Id FROM "User" ORDER BY rowid')
    return jsonify(
        [org_admin.user_summary(store, org_admin.find_user(store, r["Id"])) for r in rows]
    )


@bp.get("/orgs/<org_id>/users/<user>")
def get_user(org_id: str, user: str) -> Response:
    store = org(org_id)
    return jsonify(org_admin.user_summary(store, org_admin.find_user(store, user)))


@bp.patch("/orgs/<org_id>/users/<user>")
@accepts(
    {
        "active": bool,
        "frozen": bool,
        "password": str,
        "security_token": str,
        "profile": str,
        "add_permission_sets": list,
        "remove_permission_sets": list,
    }
)
def update_user(org_id: str, user: str) -> Response:
    """Change ``active``, ``frozen``, ``password``, ``profile``, ``time_zone`` or permission sets.

    Deactivating, freezing or changing the password ends the user's sessions, refresh tokens
    and browser sessions, as Salesforce does.
    """
    store = org(org_id)
    row = org_admin.find_user(store, user)
    spec = body()
    unknown = set(spec) - {
        "active",
        "frozen",
        "password",
        "security_token",
        "profile",
        "time_zone",
        "add_permission_sets",
        "remove_permission_sets",
    }
    if unknown:
        raise ControlError(f"unknown user change(s) {sorted(unknown)}")
    _apply_user_change(store, row["Id"], spec)
    return jsonify(org_admin.user_summary(store, org_admin.find_user(store, row["Id"])))


def _apply_user_change(store: OrgStore, user_id: str, spec: dict[str, Any]) -> None:
    for flag in ("active", "frozen"):
        if flag in spec and not isinstance(spec[flag], bool):
            raise ControlError(f"'{flag}' is true or false, not {spec[flag]!r}")
    for key in ("add_permission_sets", "remove_permission_sets"):
        if not isinstance(spec.get(key, []), list):
            raise ControlError(f"'{key}' is a list of permission set names")
    with store.transaction():
        org_admin.set_user_state(store, user_id, spec.get("active"), spec.get("frozen"))
        if "password" in spec:
            org_admin.set_password(
                store, user_id, str(spec["password"]), spec.get("security_token")
            )
        if "profile" in spec:
            org_admin.change_profile(store, user_id, str(spec["profile"]))
        if "time_zone" in spec:
            org_admin.set_time_zone(store, user_id, spec["time_zone"])
        for name in spec.get("add_permission_sets", ()):
            ps = org_admin.find_permission_set(store, name)
            org_admin.assign_permission_set(store, user_id, ps["Id"])
        for name in spec.get("remove_permission_sets", ()):
            ps = org_admin.find_permission_set(store, name)
            org_admin.unassign_permission_set(store, user_id, ps["Id"])


def end_user_sessions(store: OrgStore, user_id: str) -> dict[str, int]:
    """Kill a user's access tokens, refresh tokens (grants) and browser sessions."""
    return sessions.end_user_sessions(store, user_id)


@bp.get("/orgs/<org_id>/users/<user>/access/<sobject>")
def user_access(org_id: str, user: str, sobject: str) -> Response:
    """What the user may do on the object: object flags and each field's read/edit access."""
    return jsonify(org_admin.user_access(org(org_id), user, sobject))


@bp.post("/orgs/<org_id>/users/<user>/sessions")
@accepts({"client_id": str})
def open_session(org_id: str, user: str) -> tuple[Response, int]:
    """An access token for a user without any OAuth dance (test setup)."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    token = sessions.issue_access_token(store, row["Id"], body().get("client_id"))
    return jsonify(
        {
            "access_token": token,
            "instance_url": instance_url(store),
            "id": f"{base_url()}/id/{store.org_id}/{row['Id']}",
            "token_type": "Bearer",
            "user_id": row["Id"],
            "username": row["Username"],
        }
    ), 201


@bp.delete("/orgs/<org_id>/users/<user>/sessions")
def revoke_sessions(org_id: str, user: str) -> Response:
    store = org(org_id)
    row = org_admin.find_user(store, user)
    ended = end_user_sessions(store, row["Id"])
    return jsonify({"revoked": True, **ended})


@bp.post("/orgs/<org_id>/users/<user>/sessions/expire")
def expire_sessions(org_id: str, user: str) -> Response:
    """Make the user's sessions time out now (the next call gets INVALID_SESSION_ID)."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    return jsonify({"expired": sessions.expire_sessions_now(store, row["Id"])})
