"""OAuth state a test sets up or inspects: a user's grants and approvals, an app's tokens."""

from __future__ import annotations

from flask import Response, jsonify

from .. import org_admin
from ..errors import ControlError
from ..oauth import grants
from ..pipeline import sessions
from . import bp
from .common import body, org
from .openapi import accepts


@bp.get("/orgs/<org_id>/users/<user>/grants")
def list_grants(org_id: str, user: str) -> Response:
    """The user's grants (refresh-token lineages), oldest first, revoked ones included."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    return jsonify(grants.user_grants(store, row["Id"]))


@bp.delete("/orgs/<org_id>/users/<user>/grants/<grant_id>")
def revoke_grant(org_id: str, user: str, grant_id: str) -> tuple[str, int]:
    """Revoke one grant: its refresh tokens and the access tokens issued from it."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    if not any(g["id"] == grant_id for g in grants.user_grants(store, row["Id"])):
        raise ControlError(f"no grant '{grant_id}' for this user", status=404)
    sessions.revoke_grant(store, grant_id)
    return "", 204


@bp.post("/orgs/<org_id>/users/<user>/approvals")
@accepts({"client_id": str}, required=["client_id"])
def approve_app(org_id: str, user: str) -> tuple[Response, int]:
    """``{"client_id": ...}``: as if the user had clicked Allow (JWT pre-approval included)."""
    store = org(org_id)
    row = org_admin.find_user(store, user)
    client_id = str(body().get("client_id") or "")
    if org_admin.find_connected_app(store, client_id) is None:
        raise ControlError(f"no connected app '{client_id}'", status=404)
    grants.approve(store, row["Id"], client_id)
    return jsonify({"user_id": row["Id"], "client_id": client_id}), 201


@bp.delete("/orgs/<org_id>/users/<user>/approvals/<client_id>")
def forget_approval(org_id: str, user: str, client_id: str) -> tuple[str, int]:
    store = org(org_id)
    row = org_admin.find_user(store, user)
    if not grants.forget_approval(store, row["Id"], client_id):
        raise ControlError(f"the user has not approved '{client_id}'", status=404)
    return "", 204


@bp.post("/orgs/<org_id>/apps/<client_id>/revoke")
def revoke_app_tokens(org_id: str, client_id: str) -> Response:
    """End every session and grant of an app in this org (Setup's "Revoke All")."""
    store = org(org_id)
    with store.transaction():
        tokens = store.execute(
            "UPDATE _mock_access_token SET revoked = 1 WHERE client_id = ? AND revoked = 0",
            (client_id,),
        ).rowcount
        granted = store.execute(
            "UPDATE _mock_oauth_grant SET revoked = 1 WHERE client_id = ? AND revoked = 0",
            (client_id,),
        ).rowcount
    return jsonify({"access_tokens": tokens, "grants": granted})
