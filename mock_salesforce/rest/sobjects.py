"""``/sobjects``: describe, single records, external ids and the replication windows."""

from __future__ import annotations

from flask import Response

from ..records import resources
from . import bp
from .http import call, respond

SOBJECT = "/v<version>/sobjects/<sobject>"


@bp.get("/v<version>/sobjects")
def describe_global(version: str) -> Response:
    return respond(resources.describe_global_reply(call()))


@bp.get(SOBJECT)
def sobject_basic(version: str, sobject: str) -> Response:
    return respond(resources.sobject_reply(call(sobject=sobject)))


@bp.get(f"{SOBJECT}/describe")
def describe_sobject(version: str, sobject: str) -> Response:
    return respond(resources.describe_reply(call(sobject=sobject)))


@bp.post(SOBJECT)
def create_record(version: str, sobject: str) -> Response:
    return respond(resources.create_reply(call(sobject=sobject)))


@bp.get(f"{SOBJECT}/updated")
def updated_records(version: str, sobject: str) -> Response:
    return respond(resources.updated_reply(call(sobject=sobject)))


@bp.get(f"{SOBJECT}/deleted")
def deleted_records(version: str, sobject: str) -> Response:
    return respond(resources.deleted_reply(call(sobject=sobject)))


@bp.get(f"{SOBJECT}/<record_id>")
def retrieve_record(version: str, sobject: str, record_id: str) -> Response:
    return respond(resources.retrieve_reply(call(sobject=sobject, record_id=record_id)))


@bp.patch(f"{SOBJECT}/<record_id>")
def update_record(version: str, sobject: str, record_id: str) -> Response:
    return respond(resources.update_reply(call(sobject=sobject, record_id=record_id)))


@bp.delete(f"{SOBJECT}/<record_id>")
def delete_record(version: str, sobject: str, record_id: str) -> Response:
    return respond(resources.delete_reply(call(sobject=sobject, record_id=record_id)))


@bp.get(f"{SOBJECT}/<field>/<value>")
def retrieve_by_external_id(version: str, sobject: str, field: str, value: str) -> Response:
    reply = resources.retrieve_by_external_id_reply(call(sobject=sobject, field=field, value=value))
    return respond(reply)


@bp.patch(f"{SOBJECT}/<field>/<value>")
def upsert_record(version: str, sobject: str, field: str, value: str) -> Response:
    return respond(resources.upsert_reply(call(sobject=sobject, field=field, value=value)))


@bp.delete(f"{SOBJECT}/<field>/<value>")
def delete_by_external_id(version: str, sobject: str, field: str, value: str) -> Response:
    reply = resources.delete_by_external_id_reply(call(sobject=sobject, field=field, value=value))
    return respond(reply)
