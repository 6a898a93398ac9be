"""``/_mock``: the test-control plane. JSON in, JSON out; never mixed with Salesforce routes.

Bad input answers 400 ``{"error": "<what is wrong>"}``; a missing org, user or fault 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..store import OrgNotFound

bp = Blueprint("control", __name__, url_prefix="/_mock")


@bp.errorhandler(TypeError)
@bp.errorhandler(ValueError)
@bp.errorhandler(KeyError)
@bp.errorhandler(AttributeError)
@bp.errorhandler(OverflowError)
@bp.errorhandler(IndexError)
def _bad_input(exc: Exception) -> tuple[Response, int]:
    """Input of the wrong shape that no specific check caught: still a 400 that says why."""
    if isinstance(exc, OrgNotFound):
        return jsonify({"error": f"no org '{exc.args[0]}' in this server"}), 404
    detail = str(exc) or type(exc).__name__
    return jsonify({"error": f"bad input ({type(exc).__name__}): {detail}"}), 400


from . import meta, oauth_admin, observability, orgs, security_admin, users  # noqa: E402,F401
