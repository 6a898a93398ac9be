"""What the REST views share: the JSON body, the call they hand to a resource, the response.

Bodies are parsed only on POST, PATCH and PUT. Malformed JSON answers 400 JSON_PARSER_ERROR
in Jackson's words, as Salesforce's JSON reader does (REST API Developer Guide, "Status Codes and
Error Responses"); never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from flask import Blueprint, Request, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed as RouteMethodNotAllowed

from .. import errors, pipeline
from ..errors import JsonParserError
from ..pipeline import safejson
from ..pipeline.sessions import Session, current_session
from ..records.context import Caller
from ..records.resources import Call, Reply
from . import api_version, valid_version

BODY_METHODS = ("POST", "PATCH", "PUT")
# The query of a call without a query string (werkzeug parses even an empty one).
NO_QUERY: Mapping[str, str] = MappingProxyType({})


def json_body(required: bool = True, req: Request | None = None) -> Any:
    """The request's JSON body (None when there is none and none is required)."""
    if req is None:
        req = request._get_current_object()  # type: ignore[attr-defined]
    if req.method not in BODY_METHODS:
        return None
    return parse_body(req.get_data(cache=True), required)


def parse_body(raw: bytes, required: bool = True) -> Any:
    """A request body's JSON; JSON_PARSER_ERROR, in Jackson's words, for anything else."""
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        if required:
            raise JsonParserError(
                "The HTTP entity body is required, but this request has no entity body."
            )
        return None
    try:
        return safejson.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonParserError(jackson_message(text, exc)) from None
    except safejson.JsonRefused as exc:
        raise JsonParserError(str(exc)) from None


def jackson_message(text: str, exc: json.JSONDecodeError) -> str:
    """A Jackson-style description of where and why the JSON is malformed."""
    where = f"at [line:{exc.lineno}, column:{exc.colno}]"
    if exc.pos >= len(text.rstrip()):
        return f"Unexpected end-of-input: expected close marker for OBJECT {where}"
    char = text[exc.pos]
    expectation = {
        "Expecting property name enclosed in double quotes": (
            "was expecting double-quote to start field name"
        ),
        "Expecting ',' delimiter": "was expecting comma to separate OBJECT entries",
        "Expecting ':' delimiter": "was expecting a colon to separate field name and value",
    }.get(
        exc.msg, "expected a valid value (number, String, array, object, 'true', 'false' or 'null')"
    )
    return f"Unexpected character ('{char}' (code {ord(char)})): {expectation} {where}"


def caller() -> Caller:
    """The token's user for this request, with its API version and assignment-rule header."""
    return _caller(request._get_current_object(), current_session())  # type: ignore[attr-defined]


def _caller(req: Request, session: Session) -> Caller:
    return Caller(session, api_version(), auto_assigns(req.headers.get("Sforce-Auto-Assign")))


def auto_assigns(header: str | None) -> bool:
    """Whether the org's assignment rules run: ``Sforce-Auto-Assign`` is TRUE unless sent
    FALSE (REST guide, "Assignment Rule Header")."""
    return (header or "TRUE").strip().lower() != "false"


def call(body_required: bool = True, **args: str) -> Call:
    """The current request as a resource call (the journal gets the object's API name)."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    session = current_session()
    obj = session.org.schema.object(args["sobject"]) if "sobject" in args else None
    if obj is not None:
        pipeline.note(sobject=obj.name)
    return Call(
        _caller(req, session),
        args,
        req.args if req.environ.get("QUERY_STRING") else NO_QUERY,
        json_body(body_required, req),
        req.headers,  # type: ignore[arg-type]
        headers_any_case=True,  # werkzeug's headers: ``get`` ignores letter case
    )


def respond(reply: Reply) -> Response:
    """A resource reply as a Flask response (no body for 204 and 304)."""
    if reply.body is None and reply.status in (204, 304):
        response = Response(status=reply.status)
        del response.headers["Content-Type"]
    else:
        response = jsonify(reply.body)
        response.status_code = reply.status
    response.headers.update(reply.headers)
    return response


Handler = Callable[[Call], Reply]


def serve(
    bp: Blueprint, method: str, rule: str | tuple[str, ...], endpoint: str, handler: Handler
) -> None:
    """Declare a REST resource once: a view for HTTP calls, and the same ``handler`` for
    composite subrequests (found through the app's URL map by ``subrequest_handler``).
    The endpoint name is the journal's operation, the name faults match on."""

    def view(version: str, **args: str) -> Response:
        reply = handler(call(True, **args))
        pipeline.settle(reply.status)  # a write is committed before its answer is built
        return respond(reply)

    view.__name__ = endpoint
    view.resource = handler  # type: ignore[attr-defined]
    for each in (rule,) if isinstance(rule, str) else rule:
        bp.add_url_rule(each, endpoint, view, methods=[method])


def subrequest_handler(method: str, path: str) -> tuple[Handler, dict[str, str]]:
    """The resource serving ``method path`` (``/services/data/vNN.0/...``) and its URL
    arguments, matched by the same URL map as real HTTP calls: NOT_FOUND, METHOD_NOT_ALLOWED,
    or NOT_FOUND for a resource that cannot be a subrequest."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, args = adapter.match(path.rstrip("/") or "/", method)
    except RouteMethodNotAllowed as exc:
        allowed = sorted(set(exc.valid_methods or ()) - {"HEAD", "OPTIONS"})
        raise errors.MethodNotAllowed(
            f"HTTP Method '{method}' not allowed. Allowed are {','.join(allowed)}"
        ) from None
    except HTTPException:
        raise errors.NotFound() from None
    handler = getattr(current_app.view_functions[endpoint], "resource", None)
    found = {name: str(value) for name, value in args.items()}
    if handler is None or not valid_version(found.get("version", "")):
        raise errors.NotFound()
    return handler, found
