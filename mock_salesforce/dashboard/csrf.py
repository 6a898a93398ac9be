"""CSRF protection for the dashboard's forms: a double-submit token bound to a cookie.

The browser holds a random cookie (HttpOnly, SameSite=Strict, path ``/_mock``); each form
carries ``csrf_token`` = HMAC(app secret, cookie). A POST without both, or with a token that does
not match its cookie, is refused with 403. Another site can neither read the cookie nor compute
the token, so it cannot make the developer's browser submit a dashboard form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Response, abort, current_app, g, request

COOKIE = "mock_dashboard"
FIELD = "csrf_token"
_SECRET_KEY = "mock_salesforce.dashboard_secret"


def _secret() -> bytes:
    secret: bytes = current_app.extensions.setdefault(_SECRET_KEY, secrets.token_bytes(32))
    return secret


def _sign(cookie: str) -> str:
    return hmac.new(_secret(), cookie.encode(), hashlib.sha256).hexdigest()


def _cookie() -> str:
    """The browser's cookie, or one made for this response (sent by ``set_cookie``)."""
    existing = request.cookies.get(COOKIE)
    if existing:
        return existing
    if "dashboard_cookie" not in g:
        g.dashboard_cookie = secrets.token_urlsafe(32)
    value: str = g.dashboard_cookie
    return value


def token() -> str:
    """The token a form of this page carries."""
    return _sign(_cookie())


def protect() -> None:
    """Before every dashboard request: a POST must carry the token of its cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    cookie = request.cookies.get(COOKIE, "")
    sent = request.form.get(FIELD, "")
    if not cookie or not sent or not hmac.compare_digest(sent, _sign(cookie)):
        abort(403, "This form has no valid CSRF token (it may be from an older page): reload.")


def set_cookie(response: Response) -> Response:
    fresh = g.get("dashboard_cookie")
    if fresh and not request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, fresh, httponly=True, samesite="Strict", path="/_mock")
    return response
