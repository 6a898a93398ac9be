"""Orgs: create, list, inspect, delete, reset, settings, seed."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from .. import org_admin
from ..errors import ControlError
from ..org_admin.seed import apply_seed
from ..store import OrgStore
from . import bp
from .common import base_url, body, instance_url, org, registry
from .openapi import accepts


def org_json(store: OrgStore) -> dict[str, Any]:
    users = store.query('SELECT COUNT(*) AS n FROM "User"')[0]["n"]
    return {
        "id": store.org_id,
        "name": store.setting("name"),
        "instance_url": instance_url(store),
        "login_url": base_url(),
        "users": users,
        "settings": {k: v for k, v in store.settings().items() if k not in ("clock", "name")},
        "now": store.now_text(),
    }


@bp.post("/orgs")
@accepts({"name": str, "settings": dict, "users": list, "connected_apps": list, "records": list})
def create_org() -> tuple[Response, int]:
    """Create an org; with ``users``/``connected_apps``/... in the body it is seeded at once."""
    spec = body()
    if spec.get("users") or spec.get("connected_apps") or spec.get("records"):
        created = apply_seed(registry(), {"orgs": [spec]})
        return jsonify(created[0]), 201
    store = org_admin.create_org(registry(), spec.get("name", "Test Org"), spec.get("settings"))
    return jsonify(org_json(store)), 201


@bp.get("/orgs")
def list_orgs() -> Response:
    return jsonify([org_json(s) for s in registry().all()])


@bp.get("/orgs/<org_id>")
def get_org(org_id: str) -> Response:
    return jsonify(org_json(org(org_id)))


@bp.delete("/orgs/<org_id>")
def delete_org(org_id: str) -> tuple[str, int]:
    registry().remove(org_id)
    return "", 204


@bp.patch("/orgs/<org_id>/settings")
def update_settings(org_id: str) -> Response:
    """Org settings: ``{"sharing:Contact": "Private", "api_daily_limit": 100, ...}``."""
    store = org(org_id)
    for key, value in body().items():
        org_admin.set_org_setting(store, key, value)
    return jsonify(org_json(store))


@bp.post("/orgs/<org_id>/reset")
def reset_org(org_id: str) -> Response:
    """Back to the state the org had right after it was created and seeded."""
    store = org(org_id)
    if not store.restore():
        raise ControlError("this org has no initial snapshot to reset to")
    return jsonify(org_json(store))


@bp.post("/seed")
@accepts({"orgs": list})
def seed() -> tuple[Response, int]:
    """Apply a seed document (the same shape as a seed file) and return the orgs it made."""
    return jsonify(apply_seed(registry(), body())), 201


@bp.post("/orgs/<org_id>/clone")
@accepts({"name": str})
def clone_org(org_id: str) -> tuple[Response, int]:
    """A new org copying this one's configuration and data, with its own ids and app clients."""
    store = org_admin.clone_org(registry(), org(org_id), body().get("name"))
    return jsonify(org_admin.clone_summary(store)), 201
