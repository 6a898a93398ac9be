"""``/search`` (SOSL) and ``/parameterizedSearch``; behaviour lives in ``sosl``.

From API v36.0 the answer is ``{"searchRecords": [...]}``; before, a bare array of records
(shared reference part 2 §3.1). Both are composite-able like every resource declared here.
"""

from __future__ import annotations

from typing import Any

from .. import errors, pipeline
from ..records.resources import Call, Reply
from ..sosl import SearchRequest, parse_sosl, run_search
from ..sosl.parameterized import from_body, from_query_string
from ..sosl.parser import NO_BRACES
from . import bp
from .http import serve


def _answer(call: Call, search: SearchRequest) -> Reply:
    pipeline.note(soql=search.text)
    records = run_search(call.caller.session, search, call.caller.version)
    body: Any = records if not call.caller.at_least(36) else {"searchRecords": records}
    return Reply(200, body)


def search_reply(call: Call) -> Reply:
    """``GET /search?q=FIND {...} ...``."""
    sosl = call.query.get("q")
    if not sosl or not sosl.strip():
        raise errors.MalformedSearch(NO_BRACES)
    return _answer(call, parse_sosl(sosl))


def parameterized_reply(call: Call) -> Reply:
    """``GET`` (query string) or ``POST`` (JSON body) ``/parameterizedSearch``."""
    if call.body is not None:
        return _answer(call, from_body(call.body))
    repeated = getattr(call.query, "getlist", None)  # a MultiDict: sobject=A&sobject=B
    objects = [str(o) for o in repeated("sobject")] if repeated else []
    if not objects and call.query.get("sobject"):
        objects = str(call.query["sobject"]).split(",")
    return _answer(call, from_query_string(call.query, objects))


serve(bp, "GET", "/v<version>/search", "search", search_reply)
serve(bp, "GET", "/v<version>/parameterizedSearch", "parameterized_search", parameterized_reply)
serve(
    bp, "POST", "/v<version>/parameterizedSearch", "parameterized_search_post", parameterized_reply
)
