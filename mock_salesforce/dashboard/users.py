"""Users: who they are, what they hold, their state and sessions; the actions Setup offers."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from flask import Response, request

from .. import org_admin
from ..errors import ControlError
from ..pipeline import sessions
from ..pipeline.state import instance_url
from ..schema.values import parse_datetime
from ..store import OrgStore
from . import bp
from .common import checked, done, field, org, render

# Each state change: (active, frozen) as ``org_admin.set_user_state`` takes them, and its notice.
USER_ACTIONS: dict[str, tuple[bool | None, bool | None, str]] = {
    "activate": (True, None, "activated"),
    "deactivate": (False, None, "deactivated"),
    "freeze": (None, True, "frozen"),
    "unfreeze": (None, False, "unfrozen"),
}


def open_sessions(store: OrgStore) -> Counter[str]:
    """Live access tokens per user id: not revoked and not idle past the org's timeout."""
    timeout, now = sessions.session_timeout(store), store.now()
    rows = store.query("SELECT user_id, last_used FROM _mock_access_token WHERE revoked = 0")
    return Counter(r["user_id"] for r in rows if now - parse_datetime(r["last_used"]) <= timeout)


def login_links(store: OrgStore, username: str) -> list[dict[str, str]]:
    """ "Log in as": the real authorize page of each connected app, the username filled in."""
    links = []
    for app in org_admin.connected_apps(store):
        callbacks = app.get("callback_urls") or []
        if not callbacks:
            continue
        query = {
            "response_type": "code",
            "client_id": app["client_id"],
            "redirect_uri": callbacks[0],
            "login_hint": username,
            "prompt": "login",
        }
        links.append({"app": app["name"], "url": f"/services/oauth2/authorize?{urlencode(query)}"})
    return links


def _page(store: OrgStore, issued: dict[str, Any] | None = None) -> str:
    counts = open_sessions(store)
    rows = store.query('SELECT Id FROM "User" ORDER BY rowid')
    users = [org_admin.user_summary(store, org_admin.find_user(store, r["Id"])) for r in rows]
    for user in users:
        user["open_sessions"] = counts.get(user["id"], 0)
        user["login_links"] = login_links(store, user["username"])
    profiles = [r["Name"] for r in store.query('SELECT Name FROM "Profile" ORDER BY rowid')]
    permission_sets = [
        r["Name"]
        for r in store.query(
            'SELECT Name FROM "PermissionSet" WHERE IsOwnedByProfile = 0 ORDER BY rowid'
        )
    ]
    return render(
        "users.html",
        store,
        users=users,
        profiles=profiles,
        permission_sets=permission_sets,
        issued=issued,
    )


@bp.get("/ui/orgs/<org_id>/users")
def users(org_id: str) -> str:
    return _page(org(org_id))


@bp.post("/ui/orgs/<org_id>/users")
def create_user(org_id: str) -> Response:
    """A user from the form: the same checks as ``POST /_mock/orgs/<org>/users``."""
    store = org(org_id)
    spec: dict[str, Any] = {
        key: field(key)
        for key in ("username", "first_name", "last_name", "alias", "email", "profile", "password")
        if field(key)
    }
    if not spec.get("username"):
        raise ControlError("'username' is required")
    spec["permission_sets"] = request.form.getlist("permission_sets")
    spec["active"] = not checked("inactive")
    with store.transaction():
        org_admin.create_user(store, spec)
    return done("dashboard.users", f"Created {spec['username']}", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/users/<user>/state")
def change_user_state(org_id: str, user: str) -> Response:
    """Activate, deactivate, freeze or unfreeze (the last two end the user's sessions)."""
    store = org(org_id)
    action = field("action")
    if action not in USER_ACTIONS:
        raise ControlError(f"unknown action '{action}'; known: {', '.join(USER_ACTIONS)}")
    row = org_admin.find_user(store, user)
    active, frozen, past = USER_ACTIONS[action]
    with store.transaction():
        org_admin.set_user_state(store, row["Id"], active, frozen)
    return done("dashboard.users", f"{row['Username']} {past}", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/users/<user>/sessions/expire")
def expire_sessions(org_id: str, user: str) -> Response:
    """The user's sessions time out now: the next call gets INVALID_SESSION_ID."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    count = sessions.expire_sessions_now(store, row["Id"])
    notice = f"{row['Username']}: {count} session(s) expired"
    return done("dashboard.users", notice, org_id=org_id)


@bp.post("/ui/orgs/<org_id>/users/<user>/sessions/revoke")
def revoke_sessions(org_id: str, user: str) -> Response:
    """Access tokens, refresh tokens and browser sessions of the user all end."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    ended = sessions.end_user_sessions(store, row["Id"])
    tokens, grants = ended["access_tokens"], ended["grants"]
    notice = f"{row['Username']}: {tokens} token(s), {grants} grant(s) ended"
    return done("dashboard.users", notice, org_id=org_id)


@bp.post("/ui/orgs/<org_id>/users/<user>/token")
def issue_token(org_id: str, user: str) -> str:
    """An access token for the user (as ``POST /_mock/.../sessions``), shown once to copy."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    token = sessions.issue_access_token(store, row["Id"])
    issued = {
        "username": row["Username"],
        "access_token": token,
        "instance_url": instance_url(store),
    }
    return _page(store, issued)
