"""``/composite`` (and its ``batch``, ``tree`` and ``graph`` forms) and ``/composite/sobjects``
(sObject Collections). Subrequest URLs are matched by the app's own URL map."""

from __future__ import annotations

from flask import Response, jsonify

from ..records import composite as composite_resource
from ..records import resources as r
from ..records.composite_batch import run_batch
from ..records.composite_graph import run_graphs
from ..records.composite_tree import TreeFailure, insert_tree
from . import bp
from .http import call, serve, subrequest_handler

COLLECTIONS = "/v<version>/composite/sobjects"


def _runner(request_call: r.Call) -> composite_resource.Runner:
    caller = request_call.caller
    return composite_resource.Runner(caller.session, subrequest_handler, caller.auto_assign)


@bp.post("/v<version>/composite")
def composite(version: str) -> Response:
    request_call = call()
    return jsonify(composite_resource.run(_runner(request_call), request_call.body))


@bp.post("/v<version>/composite/batch")
def composite_batch(version: str) -> Response:
    request_call = call()
    return jsonify(run_batch(_runner(request_call), request_call.body, version))


@bp.post("/v<version>/composite/graph")
def composite_graph(version: str) -> Response:
    request_call = call()
    return jsonify(run_graphs(_runner(request_call), request_call.body))


@bp.post("/v<version>/composite/tree/<sobject>")
def composite_tree(version: str, sobject: str) -> Response:
    request_call = call(sobject=sobject)
    try:
        body, status = insert_tree(request_call.caller, sobject, request_call.body), 201
    except TreeFailure as failure:
        body, status = failure.body, 400
    response = jsonify(body)
    response.status_code = status
    return response


for _method, _rule, _endpoint, _handler in (
    ("POST", COLLECTIONS, "create_many", r.create_many_reply),
    ("PATCH", COLLECTIONS, "update_many", r.update_many_reply),
    ("DELETE", COLLECTIONS, "delete_many", r.delete_many_reply),
    ("PATCH", f"{COLLECTIONS}/<sobject>/<field>", "upsert_many", r.upsert_many_reply),
    ("GET", f"{COLLECTIONS}/<sobject>", "retrieve_many", r.retrieve_many_reply),
    ("POST", f"{COLLECTIONS}/<sobject>", "retrieve_many_by_body", r.retrieve_many_reply),
):
    serve(bp, _method, _rule, _endpoint, _handler)
