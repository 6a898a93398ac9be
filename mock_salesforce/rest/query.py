"""`/query` and `/queryAll`: SOQL over REST (REST API Developer Guide, "Query"). Behaviour lives in
`soql`.

The journal's operation is the view's name (`query`, `query_all`, `query_more`), which is also
what faults match on; the entry also records the SOQL text and the object queried.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request

from .. import pipeline
from ..pipeline.sessions import current_session
from ..records import composite
from ..records import resources as composite_records
from ..soql import engine
from ..soql.errors import MalformedQuery
from . import bp

_BATCH_SIZE = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)


def _batch_size() -> int:
    """`Sforce-Query-Options: batchSize=N` (200-2000; 2000 when absent)."""
    match = _BATCH_SIZE.search(request.headers.get("Sforce-Query-Options", ""))
    return engine.clamp_batch_size(int(match.group(1)) if match else None)


def _run(version: str, include_deleted: bool) -> Any:
    explain = request.args.get("explain")
    if explain is not None and not include_deleted:
        pipeline.note(soql=explain)
        return engine.explain_query(current_session(), explain)
    soql = request.args.get("q")
    pipeline.note(soql=soql)
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    if request.args.get("columns", "").lower() == "true":
        return engine.query_columns(current_session(), soql)
    result = engine.execute(
        current_session(),
        soql,
        include_deleted=include_deleted,
        version=version,
        batch_size=_batch_size(),
    )
    pipeline.note(sobject=result.sobject)
    return result.to_json()


@bp.get("/v<version>/query")
def query(version: str) -> Any:
    """`GET /query?q=SELECT...`: live rows only."""
    return _run(version, include_deleted=False)


@bp.get("/v<version>/queryAll")
def query_all(version: str) -> Any:
    """`GET /queryAll?q=SELECT...`: deleted rows included."""
    return _run(version, include_deleted=True)


@bp.get("/v<version>/query/<locator>")
@bp.get("/v<version>/queryAll/<locator>")
def query_more(version: str, locator: str) -> Any:
    """The next page of a result: any version, under /query/ or /queryAll/."""
    result = engine.next_page(current_session(), locator, version=version)
    pipeline.note(sobject=result.sobject)
    return result.to_json()


def _composite_query(call: composite_records.Call) -> composite_records.Reply:
    """A composite subrequest to `/query` or `/queryAll` (e.g. `@{Q.records[0].Id}` later)."""
    soql = call.query.get("q")
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    include_deleted = call.arg("resource") == "queryAll"
    result = engine.execute(
        call.caller.session, soql, include_deleted=include_deleted, version=call.caller.version
    )
    return composite_records.Reply(200, result.to_json())


composite.register("GET", "(?P<resource>query|queryAll)", _composite_query, first=True)
