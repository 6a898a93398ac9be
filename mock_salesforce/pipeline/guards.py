"""Request guards that run before any view: the body-size cap, the control plane's guard, and
the headers every HTML page carries.

The control plane (``/_mock``) can reset orgs, read client secrets and mint tokens, so it only
answers requests that cannot come from a web page of another site:

- ``Host`` must be a loopback name or address (``localhost``, ``*.localhost``, ``127.x.y.z``,
  ``::1``), the host of the server's own base URL, or a name listed in ``CONTROL_HOSTS``. A page
  that rebinds its own DNS name to 127.0.0.1 still sends its own name, and is refused.
- A browser's ``Origin`` (or ``Sec-Fetch-Site: cross-site``) must name one of those hosts too: a
  form or ``fetch`` from another site is refused even when its ``Host`` is right.
- With a control token configured (``CONTROL_TOKEN``: ``--control-token`` or the environment
  variable ``MOCK_SALESFORCE_CONTROL_TOKEN``), every control request must send it in the
  ``X-Mock-Control-Token`` header; one that does may use any ``Host`` (a remote test runner).
  A browser sends it as the ``mock_control_token`` cookie (HttpOnly, SameSite=Strict, so never on
  a request from another site), set by the dashboard's token page ``/_mock/ui/unlock``.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, jsonify, redirect, request

from ..serving.transport import IN_PROCESS
from .sessions import same_secret

CONTROL_TOKEN_HEADER = "X-Mock-Control-Token"
CONTROL_TOKEN_ENV = "MOCK_SALESFORCE_CONTROL_TOKEN"
CONTROL_TOKEN_COOKIE = "mock_control_token"
UNLOCK_PATH = "/_mock/ui/unlock"
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
# Answered to anyone: liveness says nothing an orchestrator's probe should need a token for.
# The dashboard's token page checks the token itself (and a CSRF token on its form).
OPEN_CONTROL_PATHS = frozenset({"/_mock/health", UNLOCK_PATH})
FRAME_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def install(app: Flask) -> None:
    app.config.setdefault("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.before_request(_guard)
    app.after_request(_page_headers)


def is_control_path(path: str) -> bool:
    return path.startswith("/_mock")


def is_oauth_path(path: str) -> bool:
    return path.startswith("/services/oauth2")


def _guard() -> Response | tuple[Response, int] | None:
    req = request._get_current_object()  # type: ignore[attr-defined]
    length = req.content_length
    if length is not None and length > int(current_app.config["MAX_BODY_BYTES"]):
        return too_large()
    path = req.path
    if is_control_path(path) and path not in OPEN_CONTROL_PATHS:
        refusal = control_refusal()
        if refusal is not None:
            g.control_refused = True
            if _browser_page_needing_token():
                return redirect(UNLOCK_PATH, code=303)  # type: ignore[return-value]
            return jsonify({"error": refusal}), 403
    return None


def too_large(detail: str | None = None) -> tuple[Response, int]:
    """413 in Salesforce's error shape; the connection is closed (the body is not read).
    ``detail`` replaces the message when the size cap is not what refused the body (a form
    with too many fields)."""
    cap = int(current_app.config["MAX_BODY_BYTES"])
    message = detail or f"The request body is larger than the maximum of {cap} bytes."
    g.sf_error_code = "REQUEST_ENTITY_TOO_LARGE"
    if is_control_path(request.path):
        response = jsonify({"error": message})
    elif is_oauth_path(request.path):
        response = jsonify({"error": "invalid_request", "error_description": message})
    else:
        response = jsonify([{"message": message, "errorCode": "REQUEST_ENTITY_TOO_LARGE"}])
    response.headers["Connection"] = "close"
    return response, 413


def control_refusal() -> str | None:
    """Why this control request is refused, or None. Calls through the in-process transport
    (``serving.transport``) hold the app object itself: nothing to guard against."""
    if request.environ.get(IN_PROCESS):
        return None
    token = current_app.config.get("CONTROL_TOKEN")
    if token:
        sent = request.headers.get(CONTROL_TOKEN_HEADER) or request.cookies.get(
            CONTROL_TOKEN_COOKIE, ""
        )
        if not same_secret(str(token), sent):
            return f"the control plane needs the {CONTROL_TOKEN_HEADER} header (the server's token)"
        return None
    if not allowed_host(request.host):
        return (
            f"the control plane answers only on loopback or its own host name, not "
            f"'{_short(request.host)}' (set CONTROL_HOSTS or a control token to allow more)"
        )
    origin = request.headers.get("Origin")
    if origin and not allowed_host(urlsplit(origin).netloc or origin):
        return f"the control plane refuses browser requests from another site ('{_short(origin)}')"
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return "the control plane refuses browser requests from another site"
    return None


def _browser_page_needing_token() -> bool:
    """A browser asking for a dashboard page of a server with a token: show the token page."""
    wants_html = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        bool(current_app.config.get("CONTROL_TOKEN"))
        and request.method == "GET"
        and request.path.startswith("/_mock/ui")
        and wants_html == "text/html"
    )


def token_matches(sent: str) -> bool:
    """Whether ``sent`` is the server's control token (False when none is configured)."""
    token = current_app.config.get("CONTROL_TOKEN")
    return bool(token) and same_secret(str(token), sent)


def allowed_host(host: str) -> bool:
    name = _hostname(host)
    if not name:
        return False
    return is_loopback(name) or name in own_hosts()


def is_loopback(name: str) -> bool:
    """``localhost``, ``*.localhost`` or a loopback address (``127.0.0.0/8``, ``::1``)."""
    name = name.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def own_hosts() -> set[str]:
    state: Any = current_app.extensions["mock_salesforce"]
    names = {str(h).lower() for h in current_app.config.get("CONTROL_HOSTS", ())}
    if state.base_url:
        names.add(_hostname(urlsplit(state.base_url).netloc))
    return names


def _hostname(host: str) -> str:
    """``Host`` without its port, lower case (``[::1]:80`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def _page_headers(response: Response) -> Response:
    """No page of the mock may be framed by another site (clickjacking of the consent page).
    An ``OPTIONS`` answer (routing's automatic one: ``Allow`` and no body) carries no HTML
    content type."""
    if request.method == "OPTIONS" and not response.get_data():
        del response.headers["Content-Type"]
    elif _mimetype(response.headers.get("Content-Type")) == "text/html":
        response.headers.update(FRAME_HEADERS)
    return response


def _mimetype(content_type: str | None) -> str:
    """``Response.mimetype`` without parsing the parameters: what precedes ``;``."""
    return (content_type or "").partition(";")[0].strip()
