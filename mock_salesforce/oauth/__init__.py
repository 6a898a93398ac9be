"""``/services/oauth2/*``, ``/id/*`` and the SOAP login: how callers get a session."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("oauth", __name__, template_folder="templates")

from . import authorize, identity, oidc, soap, token  # noqa: E402,F401  (register their routes)
