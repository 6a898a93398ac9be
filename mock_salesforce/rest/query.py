"""`/query` and `/queryAll`: SOQL over REST (REST API Developer Guide, "Query"). Behaviour lives in
`soql`.

The journal's operation is the view's name (`query`, `query_all`, `query_more`), which is also
what faults match on; the entry also records the SOQL text and the object queried. The same
handlers serve composite subrequests (`@{Q.records[0].Id}`), query locators included.
"""

from __future__ import annotations

import re
from typing import Any

from .. import pipeline
from ..records.resources import Call, Reply
from ..soql import engine
from ..soql.errors import MalformedQuery
from . import bp
from .http import serve

_BATCH_SIZE = re.compile(r"batchSize\s*=\s*(\d{1,9})\b", re.IGNORECASE)


def _batch_size(call: Call) -> int:
    """`Sforce-Query-Options: batchSize=N` (200-2000; 2000 when absent)."""
    match = _BATCH_SIZE.search(call.header("Sforce-Query-Options") or "")
    return engine.clamp_batch_size(int(match.group(1)) if match else None)


def _run(call: Call, include_deleted: bool) -> Any:
    session = call.caller.session
    explain = call.query.get("explain")
    if explain is not None and not include_deleted:
        pipeline.note(soql=explain)
        return engine.explain_query(session, explain)
    soql = call.query.get("q")
    pipeline.note(soql=soql)
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    if call.query.get("columns", "").lower() == "true":
        return engine.query_columns(session, soql)
    result = engine.execute(
        session,
        soql,
        include_deleted=include_deleted,
        version=call.caller.version,
        batch_size=_batch_size(call),
    )
    pipeline.note(sobject=result.sobject)
    return result.to_json()


def query_reply(call: Call) -> Reply:
    """`GET /query?q=SELECT...`: live rows only."""
    return Reply(200, _run(call, include_deleted=False))


def query_all_reply(call: Call) -> Reply:
    """`GET /queryAll?q=SELECT...`: deleted rows included."""
    return Reply(200, _run(call, include_deleted=True))


def query_more_reply(call: Call) -> Reply:
    """The next page of a result: any version, under /query/ or /queryAll/."""
    session = call.caller.session
    result = engine.next_page(session, call.arg("locator"), version=call.caller.version)
    pipeline.note(sobject=result.sobject)
    return Reply(200, result.to_json())


_QUERIES: tuple[tuple[str | tuple[str, ...], str, Any], ...] = (
    ("/v<version>/query", "query", query_reply),
    ("/v<version>/queryAll", "query_all", query_all_reply),
    (
        ("/v<version>/query/<locator>", "/v<version>/queryAll/<locator>"),
        "query_more",
        query_more_reply,
    ),
)
for _rule, _endpoint, _handler in _QUERIES:
    serve(bp, "GET", _rule, _endpoint, _handler)
