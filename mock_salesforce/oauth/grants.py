"""Authorization codes, grants and their refresh tokens, remembered approvals.

A grant is one "connection" of a user to an app (what Setup lists under OAuth Connected Apps):
created when a refresh token is first issued; with rotation it holds a line of refresh tokens of
which only the newest works. Codes and refresh tokens carry their org id after a fixed prefix so
they route to the org; only SHA-256 hashes are stored (Salesforce Help, "OAuth 2.0 Refresh Token
Flow for Renewed Sessions").
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import OAuthError
from ..pipeline.sessions import revoke_grant, same_secret, security_for, token_hash
from ..schema.values import format_datetime, parse_datetime
from ..store import OrgStore, Registry

CODE_PREFIX = "aPrx"
REFRESH_PREFIX = "5Aep861"
CODE_LIFETIME = timedelta(minutes=15)
MAX_GRANTS_PER_APP = 5  # Salesforce keeps five grants per user and app; the oldest goes.
EXPIRED_TOKEN = "expired access/refresh token"
ALREADY_PROCESSING = "Token request is already being processed"


def _org_secret(prefix: str, store: OrgStore, body: str) -> str:
    return f"{prefix}{store.org_id[:15]}{body}"


def org_of(registry: Registry, prefix: str, secret: str | None) -> OrgStore | None:
    """The org a code or refresh token was issued in."""
    if not secret or not secret.startswith(prefix) or len(secret) < len(prefix) + 15:
        return None
    return registry.find(secret[len(prefix) : len(prefix) + 15])


# -- authorization codes -----------------------------------------------------------------
@dataclass(frozen=True)
class CodeGrant:
    user_id: str
    scope: str
    code_hash: str = ""


def issue_code(
    store: OrgStore,
    user_id: str,
    client_id: str,
    redirect_uri: str,
    scope: str,
    code_challenge: str | None,
) -> str:
    """A single-use code, valid 15 minutes on the org's clock; ends in ``==`` like the real."""
    code = _org_secret(CODE_PREFIX, store, base64.b64encode(secrets.token_bytes(31)).decode())
    expires = format_datetime(store.now() + CODE_LIFETIME)
    store.execute(
        "INSERT INTO _mock_auth_code (code_hash, user_id, client_id, redirect_uri, scope, "
        "code_challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash(code), user_id, client_id, redirect_uri, scope, code_challenge, expires),
    )
    return code


def redeem_code(
    store: OrgStore, code: str, client_id: str, redirect_uri: str | None, verifier: str | None
) -> CodeGrant:
    """Use a code once: checks expiry, the app, the redirect URI and PKCE."""
    with store.lock:
        rows = store.query("SELECT * FROM _mock_auth_code WHERE code_hash = ?", (token_hash(code),))
        if not rows or rows[0]["client_id"] != client_id:
            raise OAuthError("invalid_grant", "invalid authorization code")
        row = rows[0]
        if row["used"]:
            # RFC 6749 §4.1.2: a code presented twice was stolen; what it bought is revoked.
            revoke_code_tokens(store, row["code_hash"])
            raise OAuthError("invalid_grant", "expired authorization code")
        if store.now() > parse_datetime(row["expires_at"]):
            raise OAuthError("invalid_grant", "expired authorization code")
        store.execute(
            "UPDATE _mock_auth_code SET used = 1 WHERE code_hash = ?", (row["code_hash"],)
        )
    if redirect_uri != row["redirect_uri"]:
        raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
    _check_pkce(row["code_challenge"], verifier)
    return CodeGrant(row["user_id"], row["scope"], row["code_hash"])


# What each redeemed code issued (its access token, its grant), so a replay can revoke it. The
# table belongs to this module and is made on first use.
CODE_USE_TABLE = (
    "CREATE TABLE IF NOT EXISTS _mock_code_use (code_hash TEXT NOT NULL, "
    "access_hash TEXT NOT NULL, grant_id TEXT)"
)


def note_code_use(store: OrgStore, code_hash: str, access_token: str, grant_id: str | None) -> None:
    """Remember what the first use of a code issued."""
    store.execute(CODE_USE_TABLE)
    store.execute(
        "INSERT INTO _mock_code_use (code_hash, access_hash, grant_id) VALUES (?, ?, ?)",
        (code_hash, token_hash(access_token), grant_id),
    )


def revoke_code_tokens(store: OrgStore, code_hash: str) -> None:
    store.execute(CODE_USE_TABLE)
    for use in store.query("SELECT * FROM _mock_code_use WHERE code_hash = ?", (code_hash,)):
        store.execute(
            "UPDATE _mock_access_token SET revoked = 1 WHERE token_hash = ?", (use["access_hash"],)
        )
        if use["grant_id"]:
            revoke_grant(store, use["grant_id"])


def pkce_challenge(verifier: str) -> str:
    """S256: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _check_pkce(challenge: str | None, verifier: str | None) -> None:
    # Salesforce REST guide: a challenge without a verifier is invalid_grant; a verifier that
    # does not match is invalid_request.
    if not challenge:
        return
    if not verifier:
        raise OAuthError("invalid_grant", "invalid code verifier")
    if not same_secret(pkce_challenge(verifier), challenge):
        raise OAuthError("invalid_request", "invalid code verifier")


# -- grants and refresh tokens -----------------------------------------------------------
def create_grant(store: OrgStore, user_id: str, client_id: str, scope: str) -> tuple[str, str]:
    """A new grant and its first refresh token; the oldest grants beyond five are revoked."""
    with store.transaction():
        live = store.query(
            "SELECT id FROM _mock_oauth_grant WHERE user_id = ? AND client_id = ? AND revoked = 0 "
            "ORDER BY rowid",
            (user_id, client_id),
        )
        for row in live[: max(0, len(live) - MAX_GRANTS_PER_APP + 1)]:
            revoke_grant(store, row["id"])
        grant_id = store.new_id("0CR")
        store.execute(
            "INSERT INTO _mock_oauth_grant (id, user_id, client_id, scope, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (grant_id, user_id, client_id, scope, store.now_text()),
        )
        return grant_id, new_refresh_token(store, grant_id)


def new_refresh_token(store: OrgStore, grant_id: str) -> str:
    """A refresh token for ``grant_id``; the grant's earlier tokens stop being current."""
    token = _org_secret(REFRESH_PREFIX, store, secrets.token_urlsafe(48))
    now = store.now_text()
    with store.transaction():
        store.execute("UPDATE _mock_refresh_token SET current = 0 WHERE grant_id = ?", (grant_id,))
        store.execute(
            "INSERT INTO _mock_refresh_token (token_hash, grant_id, issued_at, last_used) "
            "VALUES (?, ?, ?, ?)",
            (token_hash(token), grant_id, now, now),
        )
    return token


@dataclass(frozen=True)
class RefreshGrant:
    grant_id: str
    user_id: str
    scope: str
    token_hash: str


def find_refresh_token(store: OrgStore, token: str, app: dict[str, Any]) -> RefreshGrant:
    """The live grant behind ``token`` under the app's refresh-token policy.

    Presenting a token that rotation replaced revokes the whole grant (Salesforce's
    refresh-token rotation: reuse is treated as theft).
    """
    row = _refresh_row(store, token_hash(token), str(app["client_id"]))
    if row is None:
        raise OAuthError("invalid_grant", EXPIRED_TOKEN)
    state = security_for(store).user_state(row["user_id"])
    if state is not None and not state.active:
        # Deactivation also revoked the grant; Salesforce names the reason.
        raise OAuthError("invalid_grant", "inactive user")
    if row["revoked"]:
        raise OAuthError("invalid_grant", EXPIRED_TOKEN)
    if not row["current"]:
        revoke_grant(store, row["grant_id"])
        raise OAuthError("invalid_grant", EXPIRED_TOKEN)
    if not _policy_allows(store, app.get("refresh_token_policy") or {}, row):
        raise OAuthError("invalid_grant", EXPIRED_TOKEN)
    return RefreshGrant(row["grant_id"], row["user_id"], row["scope"], row["token_hash"])


def _refresh_row(store: OrgStore, digest: str, client_id: str) -> sqlite3.Row | None:
    rows = store.query(
        "SELECT t.*, g.user_id, g.scope, g.revoked, g.client_id FROM _mock_refresh_token t "
        "JOIN _mock_oauth_grant g ON g.id = t.grant_id WHERE t.token_hash = ?",
        (digest,),
    )
    if not rows or rows[0]["client_id"] != client_id:
        return None
    return rows[0]


def _policy_allows(store: OrgStore, policy: dict[str, Any], row: sqlite3.Row) -> bool:
    kind = policy.get("type", "until_revoked")
    limit = timedelta(seconds=float(policy.get("seconds", 0) or 0))
    now = store.now()
    if kind == "immediately":
        return False
    if kind == "expire_after":
        return now - parse_datetime(row["issued_at"]) <= limit
    if kind == "expire_if_unused":
        return now - parse_datetime(row["last_used"]) <= limit
    return True


def touch_refresh_token(store: OrgStore, digest: str) -> None:
    store.execute(
        "UPDATE _mock_refresh_token SET last_used = ? WHERE token_hash = ?",
        (store.now_text(), digest),
    )


@contextmanager
def refreshing(store: OrgStore, digest: str) -> Iterator[None]:
    """One refresh at a time per refresh token: a concurrent second one is refused (Salesforce,
    Summer '24: "Token request is already being processed")."""
    with store.lock:
        busy: set[str] = store.cache.setdefault("refreshing", set())
        if digest in busy:
            raise OAuthError("invalid_grant", ALREADY_PROCESSING)
        busy.add(digest)
    try:
        yield
    finally:
        with store.lock:
            busy.discard(digest)


def revoke_refresh_token(store: OrgStore, token: str) -> bool:
    rows = store.query(
        "SELECT grant_id FROM _mock_refresh_token WHERE token_hash = ?", (token_hash(token),)
    )
    if not rows:
        return False
    live = store.query(
        "SELECT 1 FROM _mock_oauth_grant WHERE id = ? AND revoked = 0", (rows[0]["grant_id"],)
    )
    if not live:
        return False
    revoke_grant(store, rows[0]["grant_id"])
    return True


def user_grants(store: OrgStore, user_id: str) -> list[dict[str, Any]]:
    """A user's grants, oldest first (the control plane lists them)."""
    rows = store.query(
        "SELECT g.*, (SELECT COUNT(*) FROM _mock_access_token a WHERE a.grant_id = g.id "
        "AND a.revoked = 0) AS live_access_tokens FROM _mock_oauth_grant g "
        "WHERE g.user_id = ? ORDER BY g.rowid",
        (user_id,),
    )
    return [
        {
            "id": r["id"],
            "client_id": r["client_id"],
            "scope": r["scope"],
            "created_at": r["created_at"],
            "revoked": bool(r["revoked"]),
            "live_access_tokens": r["live_access_tokens"],
        }
        for r in rows
    ]


# -- approvals ---------------------------------------------------------------------------
def approve(store: OrgStore, user_id: str, client_id: str) -> None:
    store.execute(
        "INSERT INTO _mock_oauth_approval (user_id, client_id, approved_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id, client_id) DO UPDATE SET approved_at = excluded.approved_at",
        (user_id, client_id, store.now_text()),
    )


def has_approved(store: OrgStore, user_id: str, client_id: str) -> bool:
    return bool(
        store.query(
            "SELECT 1 FROM _mock_oauth_approval WHERE user_id = ? AND client_id = ?",
            (user_id, client_id),
        )
    )


def forget_approval(store: OrgStore, user_id: str, client_id: str) -> int:
    return store.execute(
        "DELETE FROM _mock_oauth_approval WHERE user_id = ? AND client_id = ?",
        (user_id, client_id),
    ).rowcount
