"""Profiles, permission sets, custom fields, connected apps and seeded records."""

from __future__ import annotations

from flask import Response, jsonify, request

from .. import org_admin
from ..errors import ControlError
from . import bp
from .common import body, org
from .openapi import accepts, query


@bp.post("/orgs/<org_id>/profiles")
@accepts(
    {"name": str, "base": str, "login_ip_ranges": list, "objects": dict, "fields": dict},
    required=["name"],
)
def create_profile(org_id: str) -> tuple[Response, int]:
    """A custom profile cloned from ``base`` (default Standard User), then adjusted."""
    store = org(org_id)
    spec = body()
    name = spec.get("name")
    if not name:
        raise ControlError("'name' is required")
    base = spec.get("base", "Standard User")
    if base not in org_admin.STANDARD_PROFILES:
        raise ControlError(
            f"base must be a standard profile: {', '.join(org_admin.STANDARD_PROFILES)}"
        )
    with store.transaction():
        profile_id = org_admin.create_profile(store, name, org_admin.STANDARD_PROFILES[base])
        ps_id = org_admin.profile_permission_set(store, profile_id)
        org_admin.apply_grants(store, ps_id, spec)
        if spec.get("login_ip_ranges"):
            org_admin.set_login_ip_ranges(
                store, profile_id, [tuple(r) for r in spec["login_ip_ranges"]]
            )
    return jsonify({"id": profile_id, "name": name, **org_admin.grants_summary(store, ps_id)}), 201


@bp.get("/orgs/<org_id>/profiles")
def list_profiles(org_id: str) -> Response:
    store = org(org_id)
    rows = store.query('SELECT Id, Name, PermissionSetId FROM "Profile" ORDER BY rowid')
    return jsonify(
        [
            {
                "id": r["Id"],
                "name": r["Name"],
                **org_admin.grants_summary(store, r["PermissionSetId"]),
            }
            for r in rows
        ]
    )


@bp.patch("/orgs/<org_id>/profiles/<profile>")
@accepts({"login_ip_ranges": list, "objects": dict, "fields": dict})
def update_profile(org_id: str, profile: str) -> Response:
    store = org(org_id)
    row = org_admin.find_profile(store, profile)
    spec = body()
    with store.transaction():
        org_admin.apply_grants(store, row["PermissionSetId"], spec)
        if "login_ip_ranges" in spec:
            org_admin.set_login_ip_ranges(
                store, row["Id"], [tuple(r) for r in spec["login_ip_ranges"]]
            )
    return jsonify(
        {
            "id": row["Id"],
            "name": row["Name"],
            **org_admin.grants_summary(store, row["PermissionSetId"]),
        }
    )


@bp.post("/orgs/<org_id>/permission-sets")
@accepts(
    {"name": str, "label": str, "assign_to": list, "objects": dict, "fields": dict},
    required=["name"],
)
def create_permission_set(org_id: str) -> tuple[Response, int]:
    store = org(org_id)
    spec = body()
    if not spec.get("name"):
        raise ControlError("'name' is required")
    with store.transaction():
        ps_id = org_admin.create_permission_set(store, spec["name"], spec.get("label"))
        org_admin.apply_grants(store, ps_id, spec)
        for user in spec.get("assign_to", ()):
            org_admin.assign_permission_set(store, org_admin.find_user(store, user)["Id"], ps_id)
    return jsonify({"name": spec["name"], **org_admin.grants_summary(store, ps_id)}), 201


@bp.patch("/orgs/<org_id>/permission-sets/<name>")
@accepts({"objects": dict, "fields": dict})
def update_permission_set(org_id: str, name: str) -> Response:
    store = org(org_id)
    ps = org_admin.find_permission_set(store, name)
    with store.transaction():
        org_admin.apply_grants(store, ps["Id"], body())
    return jsonify({"name": ps["Name"], **org_admin.grants_summary(store, ps["Id"])})


@bp.post("/orgs/<org_id>/permission-sets/<name>/assignments")
@accepts({"user": str}, required=["user"])
def assign(org_id: str, name: str) -> tuple[Response, int]:
    store = org(org_id)
    ps = org_admin.find_permission_set(store, name)
    user = org_admin.find_user(store, str(body().get("user", "")))
    assignment = org_admin.assign_permission_set(store, user["Id"], ps["Id"])
    return jsonify({"id": assignment, "user_id": user["Id"], "permission_set_id": ps["Id"]}), 201


@bp.post("/orgs/<org_id>/fields")
@accepts({"object": str, "name": str})
def add_field(org_id: str) -> tuple[Response, int]:
    """A custom field: ``{object, name, type, external_id, unique, length, values, access}``."""
    store = org(org_id)
    fdef = org_admin.add_custom_field(store, body())
    return jsonify({"name": fdef.name, "type": fdef.type, "external_id": fdef.external_id}), 201


@bp.post("/orgs/<org_id>/apps")
@accepts({"name": str, "callback_urls": list})
def save_app(org_id: str) -> tuple[Response, int]:
    """Create or replace a connected app; unknown keys are refused."""
    store = org(org_id)
    app = org_admin.save_connected_app(store, org_admin.check_app_spec(store, body()))
    return jsonify(app), 201


@bp.get("/orgs/<org_id>/apps")
def list_apps(org_id: str) -> Response:
    return jsonify(org_admin.connected_apps(org(org_id)))


@bp.patch("/orgs/<org_id>/apps/<client_id>")
def update_app(org_id: str, client_id: str) -> Response:
    store = org(org_id)
    app = org_admin.find_connected_app(store, client_id)
    if app is None:
        raise ControlError(f"no connected app '{client_id}'", status=404)
    app.update(body())
    return jsonify(org_admin.save_connected_app(store, org_admin.check_app_spec(store, app)))


@bp.post("/orgs/<org_id>/records")
@accepts({"object": str, "records": list, "fields": dict, "as_user": str})
def seed_records(org_id: str) -> tuple[Response, int]:
    """Records as test setup, bypassing security: ``{object, records: [...], as_user}``.

    Each record may carry ``CreatedById``, ``CreatedDate``, ``OwnerId`` (ids or usernames).
    """
    store = org(org_id)
    spec = body()
    obj_name = spec.get("object")
    records = spec.get("records") or ([spec["fields"]] if spec.get("fields") else [])
    if not obj_name or not isinstance(records, list) or not records:
        raise ControlError('send {"object": "Contact", "records": [{...}, ...]}')
    acting = spec.get("as_user")
    acting_id = (
        org_admin.find_user(store, acting)["Id"] if acting else org_admin.default_creator(store)
    )
    with store.transaction():
        created = [
            org_admin.seed_record(store, obj_name, org_admin.resolve_user_refs(store, r), acting_id)
            for r in records
        ]
    return jsonify({"ids": created}), 201


@bp.get("/orgs/<org_id>/records/<sobject>")
@query("include_deleted")
def list_records(org_id: str, sobject: str) -> Response:
    """Every row of an object, deleted ones included (``?include_deleted=false`` to hide)."""
    store = org(org_id)
    obj = store.schema.object(sobject)
    if obj is None:
        raise ControlError(f"unknown sObject '{sobject}'", status=404)
    include_deleted = request.args.get("include_deleted", "true") != "false"
    return jsonify(store.find_rows(obj, include_deleted=include_deleted))
