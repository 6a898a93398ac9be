"""``/_mock``: the test-control plane. JSON in, JSON out; never mixed with Salesforce routes.

Bad input answers 400 ``{"error": "<what is wrong>"}``; a missing org, user or fault 404.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("control", __name__, url_prefix="/_mock")

from . import oauth_admin, observability, orgs, security_admin, users  # noqa: E402,F401
