"""The browser session of the authorize pages: a ``sid`` cookie set after a successful login,
so a second authorization (or the consent form) does not ask for the password again."""

from __future__ import annotations

from flask import Response, g, make_response, request

from ..pipeline.sessions import (
    new_opaque,
    same_secret,
    security_for,
    session_timeout,
    token_hash,
)
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


# -- the forms' CSRF token -----------------------------------------------------------------
CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    """This browser's CSRF token: the ``csrf`` cookie's value, or a new one (set by
    ``page_response``). The login and consent forms carry it in a hidden field."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if len(existing) >= 32:
        return existing
    token: str = g.get("csrf_issued") or new_opaque(43)
    g.csrf_issued = token
    return token


def csrf_ok() -> bool:
    """A form POST is ours only if its hidden token matches this browser's cookie: a page of
    another site can post the form, but cannot read the cookie to copy it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.form.get(CSRF_FIELD, "")
    return len(cookie) >= 32 and same_secret(cookie, sent)


def page_response(html: str, status: int = 200) -> Response:
    """An authorize page: the CSRF cookie when new, and never inside another site's frame."""
    response = make_response(html, status)
    issued = g.get("csrf_issued")
    if issued:
        response.set_cookie(CSRF_COOKIE, issued, httponly=True, samesite="Lax", path="/")
    return response
