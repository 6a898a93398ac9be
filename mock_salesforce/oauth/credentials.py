"""Who may log in: usernames, passwords (with or without the security token), user states and
profile login IP ranges (Salesforce Help, "OAuth 2.0 Username-Password Flow", "Give Integration
Users API Only Access").
"""

from __future__ import annotations

import ipaddress

from flask import request

from ..errors import ControlError, OAuthError
from ..org_admin import find_user, hash_password
from ..pipeline.sessions import same_secret, security_for
from ..security import UserState
from ..store import OrgStore

AUTHENTICATION_FAILURE = "authentication failure"


def user_id_for(store: OrgStore, username: str) -> str | None:
    """The id of the user with ``username`` (usernames compare case-insensitively)."""
    rows = store.query('SELECT Id FROM "User" WHERE Username = ? COLLATE NOCASE', (username,))
    return str(rows[0]["Id"]) if rows else None


def resolve_user(store: OrgStore, reference: str) -> str | None:
    """A user given as id, username or alias (how apps name their run-as user)."""
    try:
        return str(find_user(store, reference)["Id"])
    except ControlError:
        return None


def password_matches(store: OrgStore, user_id: str, password: str, with_token: bool) -> bool:
    """The password alone (a trusted network), or, when ``with_token``, followed by the
    user's security token, as API logins send it."""
    rows = store.query("SELECT * FROM _mock_credential WHERE user_id = ?", (user_id,))
    if not rows:
        return False
    cred = rows[0]
    if same_secret(hash_password(password, cred["salt"]), cred["password_hash"]):
        return True
    token = str(cred["security_token"])
    if not with_token or not password.endswith(token):
        return False
    bare = password[: -len(token)]
    return same_secret(hash_password(bare, cred["salt"]), cred["password_hash"])


def user_state(store: OrgStore, user_id: str) -> UserState:
    state = security_for(store).user_state(user_id)
    if state is None:
        raise OAuthError("invalid_grant", AUTHENTICATION_FAILURE)
    return state


def check_can_log_in(store: OrgStore, user_id: str) -> UserState:
    """Refuse inactive and frozen users, and logins from outside the profile's IP ranges."""
    state = user_state(store, user_id)
    if not state.active:
        raise OAuthError("invalid_grant", "inactive user")
    if state.frozen:
        # Salesforce's wording for frozen users is not documented; a failed login is the
        # safest imitation (Salesforce Help, "Give Integration Users API Only Access").
        raise OAuthError("invalid_grant", AUTHENTICATION_FAILURE)
    if not ip_allowed(store, state.profile_id, request.remote_addr):
        raise OAuthError("invalid_grant", "ip restricted or invalid login hours")
    return state


def ip_allowed(store: OrgStore, profile_id: str, address: str | None) -> bool:
    """True unless the profile has login IP ranges and ``address`` is in none of them."""
    ranges = store.query(
        "SELECT start_ip, end_ip FROM _mock_profile_ip WHERE profile_id = ?", (profile_id,)
    )
    if not ranges:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for row in ranges:
        try:
            start, end = ipaddress.ip_address(row["start_ip"]), ipaddress.ip_address(row["end_ip"])
        except ValueError:
            continue
        if start.version == ip.version and start <= ip <= end:  # type: ignore[operator]
            return True
    return False


def log_in(store: OrgStore, username: str, password: str, with_token: bool = True) -> UserState:
    """A username/password login: the user, or OAuthError with Salesforce's wording."""
    user_id = user_id_for(store, username)
    if user_id is None or not password_matches(store, user_id, password, with_token):
        raise OAuthError("invalid_grant", AUTHENTICATION_FAILURE)
    return check_can_log_in(store, user_id)
