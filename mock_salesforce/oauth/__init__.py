"""``/services/oauth2/*``, ``/id/*`` and the SOAP login: how callers get a session."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("oauth", __name__)
