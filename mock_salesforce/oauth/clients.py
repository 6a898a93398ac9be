"""Connected apps as OAuth clients: which org holds a client id, client authentication, hosts,
and the token response Salesforce sends (Salesforce Help, "OAuth Endpoints").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import g, request

from ..errors import OAuthError
from ..pipeline import journal
from ..pipeline.sessions import connected_app, same_secret, security_for
from ..pipeline.state import base_url, instance_url, registry
from ..store import OrgStore

LOGIN_HOSTS = frozenset({"login.salesforce.com", "test.salesforce.com"})
REFRESH_SCOPES = frozenset({"refresh_token", "offline_access"})
# Scopes a client-credentials token never carries (simple-salesforce PR #662 notes).
INTERACTIVE_SCOPES = frozenset({"full", "web", "refresh_token", "offline_access"})


@dataclass(frozen=True)
class Client:
    """A connected app, in the org that holds it."""

    store: OrgStore
    app: dict[str, Any]

    @property
    def client_id(self) -> str:
        return str(self.app["client_id"])

    @property
    def scopes(self) -> list[str]:
        return [str(s) for s in self.app.get("scopes", ())]

    def secret_matches(self, secret: str) -> bool:
        return same_secret(secret, str(self.app.get("client_secret", "")))


def is_login_host() -> bool:
    """login.salesforce.com or test.salesforce.com; any other host is the org's My Domain."""
    return request.host.rsplit(":", 1)[0].lower() in LOGIN_HOSTS


def is_own_host(store: OrgStore) -> bool:
    """The request came to the org's own host (the host of its ``instance_url`` setting); an
    org without that setting is served under every host, so every host is its own."""
    own = store.setting("instance_url", None)
    if not own:
        return True
    return request.host.lower() == urlsplit(str(own)).netloc.lower()


def client_auth() -> tuple[str | None, str | None]:
    """The client id and secret of a token request: HTTP Basic, else the form body."""
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        return auth.username, auth.password
    return request.form.get("client_id") or None, request.form.get("client_secret") or None


def find_client(
    client_id: str | None, store: OrgStore | None = None, username: str | None = None
) -> Client:
    """The app with ``client_id``: in ``store`` if given and it holds it, else in the org that
    holds it (the one where ``username`` exists when several do). Unknown: invalid_client_id."""
    if client_id:
        if store is not None and (app := connected_app(store, client_id)) is not None:
            return _found(Client(store, app))
        holders = [
            Client(s, app)
            for s in registry().accepting_logins()
            if (app := connected_app(s, client_id)) is not None
        ]
        if username and len(holders) > 1:
            holders = [c for c in holders if has_user(c.store, username)] or holders
        if holders:
            return _found(holders[0])
    raise OAuthError("invalid_client_id", "client identifier invalid")


def _found(client: Client) -> Client:
    g.sf_org = client.store
    entry: journal.JournalEntry | None = g.get("sf_journal")
    if entry is not None:
        entry.client_id = client.client_id
    return client


def has_user(store: OrgStore, username: str) -> bool:
    return bool(store.query('SELECT 1 FROM "User" WHERE Username = ?', (username,)))


def check_secret(client: Client, secret: str | None, required: bool = True) -> None:
    """A wrong secret always fails; a missing one fails when the flow requires it."""
    if secret is None and not required:
        return
    if secret is None or not client.secret_matches(secret):
        raise OAuthError("invalid_client", "invalid client credentials")


def check_not_blocked(client: Client) -> None:
    if client.app.get("blocked"):
        raise OAuthError("OAUTH_APP_BLOCKED", "this app is blocked by admin")


def note_user(store: OrgStore, user_id: str) -> None:
    """Tell the journal who the token call is for."""
    entry: journal.JournalEntry | None = g.get("sf_journal")
    if entry is None:
        return
    entry.user_id = user_id
    rows = store.query('SELECT Username FROM "User" WHERE Id = ?', (user_id,))
    entry.username = rows[0]["Username"] if rows else None


def identity_url(store: OrgStore, user_id: str) -> str:
    return f"{base_url()}/id/{store.org_id}/{user_id}"


def issued_at(store: OrgStore) -> str:
    """Milliseconds since the epoch on the org's clock, as a string (as Salesforce sends it)."""
    return str(int(store.now().timestamp() * 1000))


def signature(secret: str, identity: str, issued: str) -> str:
    """Base64 HMAC-SHA256 of ``id + issued_at`` keyed with the client secret."""
    digest = hmac.new(secret.encode(), (identity + issued).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def token_response(
    client: Client,
    user_id: str,
    access_token: str,
    scope: str,
    refresh_token: str | None = None,
    id_token: str | None = None,
) -> dict[str, str]:
    """The token endpoint's answer, keys in Salesforce's order; never ``expires_in``."""
    identity = identity_url(client.store, user_id)
    issued = issued_at(client.store)
    body = {"access_token": access_token}
    if refresh_token:
        body["refresh_token"] = refresh_token
    body["signature"] = signature(str(client.app.get("client_secret", "")), identity, issued)
    body["scope"] = scope
    if id_token:
        body["id_token"] = id_token
    body.update(
        instance_url=instance_url(client.store),
        id=identity,
        token_type="Bearer",
        issued_at=issued,
    )
    return body


def granted_scopes(client: Client, excluded: frozenset[str] = frozenset()) -> str:
    return " ".join(s for s in client.scopes if s not in excluded)


def admin_approved(client: Client, user_id: str) -> bool:
    """Whether the user's profile or one of their permission sets is assigned to the app."""
    store = client.store
    wanted = {str(x) for x in client.app.get("approved_profiles", ())}
    wanted_sets = {str(x) for x in client.app.get("approved_permission_sets", ())}
    profile = store.query(
        'SELECT p.Id, p.Name FROM "User" u JOIN "Profile" p ON p.Id = u.ProfileId WHERE u.Id = ?',
        (user_id,),
    )
    if profile and wanted & {profile[0]["Id"], profile[0]["Name"]}:
        return True
    ps_ids = security_for(store).permission_set_ids(user_id)
    marks = ",".join("?" for _ in ps_ids) or "NULL"
    sets = store.query(f'SELECT Id, Name FROM "PermissionSet" WHERE Id IN ({marks})', ps_ids)
    return any(wanted_sets & {row["Id"], row["Name"]} for row in sets)
