"""The browser session of the authorize pages: a ``sid`` cookie set after a successful login,
so a second authorization (or the consent form) does not ask for the password again."""

from __future__ import annotations

from flask import Response, request

from ..pipeline.sessions import new_opaque, security_for, session_timeout, token_hash
from ..schema.values import parse_datetime
from ..store import OrgStore

COOKIE = "sid"


def start(store: OrgStore, user_id: str, response: Response) -> None:
    """Open a browser session for ``user_id`` and hand its cookie to the browser."""
    sid = f"{store.org_id[:15]}!{new_opaque(48)}"
    store.execute(
        "INSERT INTO _mock_browser_session (token_hash, user_id, created_at) VALUES (?, ?, ?)",
        (token_hash(sid), user_id, store.now_text()),
    )
    response.set_cookie(COOKIE, sid, httponly=True, samesite="Lax", path="/")


def current_user(store: OrgStore) -> str | None:
    """The user logged in to ``store`` in this browser, if the session is still good."""
    sid = request.cookies.get(COOKIE, "")
    if not sid.startswith(store.org_id[:15] + "!"):
        return None
    rows = store.query(
        "SELECT * FROM _mock_browser_session WHERE token_hash = ? AND revoked = 0",
        (token_hash(sid),),
    )
    if not rows:
        return None
    if store.now() - parse_datetime(rows[0]["created_at"]) > session_timeout(store):
        return None
    user_id = str(rows[0]["user_id"])
    state = security_for(store).user_state(user_id)
    if state is None or not state.active or state.frozen:
        return None
    return user_id
