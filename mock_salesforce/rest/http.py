"""What the REST views share: the JSON body, the call they hand to a resource, the response.

Bodies are parsed only on POST, PATCH and PUT. Malformed JSON answers 400 JSON_PARSER_ERROR
in Jackson's words, as Salesforce's JSON reader does (REST API Developer Guide, "Status Codes and
Error Responses"); never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request

from .. import pipeline
from ..errors import JsonParserError
from ..pipeline.sessions import current_session
from ..records.context import Caller
from ..records.resources import Call, Reply
from . import api_version

BODY_METHODS = ("POST", "PATCH", "PUT")


def json_body(required: bool = True) -> Any:
    """The request's JSON body (None when there is none and none is required)."""
    if request.method not in BODY_METHODS:
        return None
    raw = request.get_data(cache=True)
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        if required:
            raise JsonParserError(
                "The HTTP entity body is required, but this request has no entity body."
            )
        return None
    try:
        return json.loads(text, parse_constant=_non_json_number)
    except json.JSONDecodeError as exc:
        raise JsonParserError(jackson_message(text, exc)) from None


def _non_json_number(token: str) -> Any:
    """NaN and Infinity are not JSON; Salesforce's reader (Jackson) refuses them."""
    raise JsonParserError(
        f"Non-standard token '{token}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS "
        "to allow"
    )


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
    auto_assign = request.headers.get("Sforce-Auto-Assign", "TRUE").strip().lower() != "false"
    return Caller(current_session(), api_version(), auto_assign)


def call(body_required: bool = True, **args: str) -> Call:
    """The current request as a resource call (the journal gets the object's API name)."""
    obj = current_session().org.schema.object(args["sobject"]) if "sobject" in args else None
    if obj is not None:
        pipeline.note(sobject=obj.name)
    return Call(
        caller(),
        args,
        request.args.to_dict(),
        json_body(body_required),
        request.headers,  # type: ignore[arg-type]
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
