"""``/composite`` and ``/composite/sobjects`` (sObject Collections)."""

from __future__ import annotations

from flask import Response, jsonify

from ..records import composite as composite_resource
from ..records import resources
from . import bp
from .http import call, respond

COLLECTIONS = "/v<version>/composite/sobjects"


@bp.post("/v<version>/composite")
def composite(version: str) -> Response:
    request_call = call()
    result = composite_resource.run(
        request_call.caller.session, request_call.body, request_call.caller.auto_assign
    )
    return jsonify(result)


@bp.post(COLLECTIONS)
def create_many(version: str) -> Response:
    return respond(resources.create_many_reply(call()))


@bp.patch(COLLECTIONS)
def update_many(version: str) -> Response:
    return respond(resources.update_many_reply(call()))


@bp.delete(COLLECTIONS)
def delete_many(version: str) -> Response:
    return respond(resources.delete_many_reply(call()))


@bp.patch(f"{COLLECTIONS}/<sobject>/<field>")
def upsert_many(version: str, sobject: str, field: str) -> Response:
    return respond(resources.upsert_many_reply(call(sobject=sobject, field=field)))


@bp.get(f"{COLLECTIONS}/<sobject>")
def retrieve_many(version: str, sobject: str) -> Response:
    return respond(resources.retrieve_many_reply(call(sobject=sobject)))


@bp.post(f"{COLLECTIONS}/<sobject>")
def retrieve_many_by_body(version: str, sobject: str) -> Response:
    return respond(resources.retrieve_many_reply(call(sobject=sobject)))
