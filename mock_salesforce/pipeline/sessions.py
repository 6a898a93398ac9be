"""Access tokens and the session they open: who is calling, in which org, through which app.

A token looks like Salesforce's: ``<15-char org id>!<opaque>``; the org id prefix routes it to
its org. Only a SHA-256 of the token is stored. A session ends after the org's timeout of
inactivity (default 2 hours, on the mock clock), when revoked, or when its user becomes
inactive or frozen (REST API Developer Guide, "Status Codes and Error Responses"; Salesforce Help,
"Give Integration Users API Only Access").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

from flask import g

from .. import errors
from ..schema.values import format_datetime, parse_datetime
from ..security import EffectivePermissions, SecurityEvaluator
from ..store import OrgStore, Registry

DEFAULT_SESSION_TIMEOUT = 7200
API_SCOPES = frozenset({"api", "full"})
NOT_FOR_REST = "This session is not valid for use with the REST API"


@lru_cache(maxsize=4096)  # a token is hashed on every call that presents it
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_opaque(length: int = 96) -> str:
    """An opaque token body from ``secrets`` (far above 128 bits), in Salesforce's alphabet."""
    return ("AQ" + secrets.token_urlsafe(length)).replace("-", ".")[: length + 2]


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass
class Session:
    """An authenticated API caller."""

    org: OrgStore
    user_id: str
    client_id: str | None
    scope: str
    token_hash: str
    security: SecurityEvaluator

    @cached_property
    def perms(self) -> EffectivePermissions:
        return self.security.permissions(self.user_id)

    @property
    def username(self) -> str:
        return self.perms.user.username


def issue_access_token(
    store: OrgStore,
    user_id: str,
    client_id: str | None = None,
    grant_id: str | None = None,
    scope: str = "api",
) -> str:
    """A new access token for ``user_id``; the clear token is returned and never stored."""
    token = f"{store.org_id[:15]}!{new_opaque()}"
    now = store.now_text()
    store.execute(
        "INSERT INTO _mock_access_token (token_hash, user_id, client_id, grant_id, scope, "
        "issued_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash(token), user_id, client_id, grant_id, scope, now, now),
    )
    return token


def sessions_changed(store: OrgStore) -> None:
    """Tokens were revoked or made to look idle: every process drops the sessions it keeps
    (the org's version moves, and with it the generation counter other processes read)."""
    store.version += 1


def revoke_user_sessions(store: OrgStore, user_id: str) -> int:
    cursor = store.execute(
        "UPDATE _mock_access_token SET revoked = 1 WHERE user_id = ? AND revoked = 0", (user_id,)
    )
    sessions_changed(store)
    return cursor.rowcount


def revoke_token_hash(store: OrgStore, digest: str) -> bool:
    """Revoke one access token by its hash; False when there is no live token with it."""
    cursor = store.execute(
        "UPDATE _mock_access_token SET revoked = 1 WHERE token_hash = ? AND revoked = 0", (digest,)
    )
    sessions_changed(store)
    return cursor.rowcount > 0


def end_user_sessions(store: OrgStore, user_id: str) -> dict[str, int]:
    """Everything a user is logged in with: access tokens, refresh tokens (grants) and browser
    sessions. Salesforce does this on deactivation, freezing and a password change."""
    with store.transaction():
        tokens = revoke_user_sessions(store, user_id)
        grants = store.execute(
            "UPDATE _mock_oauth_grant SET revoked = 1 WHERE user_id = ? AND revoked = 0",
            (user_id,),
        ).rowcount
        store.execute("UPDATE _mock_browser_session SET revoked = 1 WHERE user_id = ?", (user_id,))
    return {"access_tokens": tokens, "grants": grants}


def revoke_grant(store: OrgStore, grant_id: str) -> None:
    """End a grant: its refresh tokens and every access token issued from it."""
    with store.transaction():
        store.execute("UPDATE _mock_oauth_grant SET revoked = 1 WHERE id = ?", (grant_id,))
        store.execute("UPDATE _mock_access_token SET revoked = 1 WHERE grant_id = ?", (grant_id,))
        sessions_changed(store)


def connected_app(store: OrgStore, client_id: str) -> dict[str, Any] | None:
    """The org's connected app with ``client_id`` (cached until the org's version moves)."""
    cached = store.cache.get("connected_apps")
    if not isinstance(cached, tuple) or cached[0] != store.version:
        rows = store.query("SELECT client_id, definition FROM _mock_connected_app")
        apps = {row["client_id"]: json.loads(row["definition"]) for row in rows}
        cached = (store.version, apps)
        store.cache["connected_apps"] = cached
    app: dict[str, Any] | None = cached[1].get(client_id)
    return app


def expire_sessions_now(store: OrgStore, user_id: str | None = None) -> int:
    """Make sessions look idle for longer than the timeout (the control plane's "expire now")."""
    past = "1970-01-01T00:00:00.000+0000"
    if user_id is None:
        cursor = store.execute("UPDATE _mock_access_token SET last_used = ?", (past,))
    else:
        cursor = store.execute(
            "UPDATE _mock_access_token SET last_used = ? WHERE user_id = ?", (past, user_id)
        )
    sessions_changed(store)
    return cursor.rowcount


def session_timeout(store: OrgStore) -> timedelta:
    return timedelta(seconds=int(store.setting("session_timeout_seconds", DEFAULT_SESSION_TIMEOUT)))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer|OAuth <token>`` header."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() not in ("bearer", "oauth") or not token.strip():
        return None
    return token.strip()


@dataclass
class _KnownToken:
    """A live token as this process last saw it (kept until the org's version moves: any
    revocation, expiry by the control plane, user or app change moves it, in every process)."""

    user_id: str
    client_id: str | None
    scope: str
    last_used: datetime
    api: bool


def _known_tokens(store: OrgStore) -> dict[str, _KnownToken]:
    cached = store.cache.get("sessions")
    if not isinstance(cached, tuple) or cached[0] != store.version:
        cached = (store.version, {})
        store.cache["sessions"] = cached
    known: dict[str, _KnownToken] = cached[1]
    return known


def lookup_session(
    registry: Registry, token: str | None, touch: bool = True, require_api: bool = True
) -> Session:
    """The live session for ``token``; INVALID_SESSION_ID for anything else.

    With ``require_api`` (every REST route) the token must carry the ``api`` or ``full`` scope;
    a token without them is refused with Salesforce's "not valid for use with the REST API".
    A token seen live before is answered from memory while the org's version stands and its
    last use (as this process knows it) is within the timeout; otherwise it is read again.
    """
    if not token or "!" not in token:
        raise errors.InvalidSessionId()
    store = registry.find(token.split("!", 1)[0])
    if store is None:
        raise errors.InvalidSessionId()
    digest = token_hash(token)
    with store.lock:
        known = _known_tokens(store)
        found = known.get(digest)
        if found is None or store.now() - found.last_used > session_timeout(store):
            found = _read_token(store, digest)
            known[digest] = found
        if require_api and not found.api:
            raise errors.InvalidSessionId(NOT_FOR_REST)
        if touch:
            touch_session(store, digest)
    return Session(store, found.user_id, found.client_id, found.scope, digest, security_for(store))


def _read_token(store: OrgStore, digest: str) -> _KnownToken:
    """The token from the database: live, of an active, unfrozen user; INVALID_SESSION_ID else."""
    row = _live_token_row(store, digest)
    state = security_for(store).user_state(row["user_id"])
    if state is None or not state.active or state.frozen:
        raise errors.InvalidSessionId()
    api = bool(API_SCOPES & set(row["scope"].split()))
    last_used = parse_datetime(row["last_used"])
    return _KnownToken(row["user_id"], row["client_id"], row["scope"], last_used, api)


def touch_due(store: OrgStore, digest: str) -> bool:
    """Whether ``touch_session`` would write: the session's stored last use is not this
    second (as this process knows it)."""
    return _due(_known_tokens(store).get(digest), store.now().replace(microsecond=0))


def _due(found: _KnownToken | None, now: datetime) -> bool:
    return found is None or found.last_used != now


def touch_session(store: OrgStore, digest: str) -> None:
    """The session was used now: its idle timeout starts again."""
    now = store.now().replace(microsecond=0)  # as stored: whole seconds
    found = _known_tokens(store).get(digest)
    if not _due(found, now):
        return  # already stored with this very time (by this process, or read so)
    store.execute(
        "UPDATE _mock_access_token SET last_used = ? WHERE token_hash = ?",
        (format_datetime(now), digest),
    )
    if found is not None:
        found.last_used = now


def _live_token_row(store: OrgStore, digest: str) -> sqlite3.Row:
    """The stored access token, when it is neither revoked, idle too long, nor of a blocked app."""
    rows = store.query("SELECT * FROM _mock_access_token WHERE token_hash = ?", (digest,))
    if not rows or rows[0]["revoked"]:
        raise errors.InvalidSessionId()
    row = rows[0]
    if store.now() - parse_datetime(row["last_used"]) > session_timeout(store):
        raise errors.InvalidSessionId()
    if row["client_id"]:
        app = connected_app(store, row["client_id"])
        if app is not None and app.get("blocked"):
            raise errors.InvalidSessionId()
    return row


def security_for(store: OrgStore) -> SecurityEvaluator:
    """The org's evaluator, kept on the store so its cache lives as long as the org."""
    evaluator = store.cache.get("security")
    if not isinstance(evaluator, SecurityEvaluator):
        evaluator = SecurityEvaluator(store)
        store.cache["security"] = evaluator
    return evaluator


def current_session() -> Session:
    """The session of the request being served (set by the API pipeline)."""
    session: Session | None = g.get("sf_session")
    if session is None:
        raise errors.InvalidSessionId()
    return session
