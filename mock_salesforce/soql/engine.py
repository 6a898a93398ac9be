"""Running SOQL for an API caller: parse, plan, execute on the org's SQLite, shape, page.

Pages hold up to 2000 records (or the requested batch size); a longer result opens a cursor
and answers `nextRecordsUrl` = `/services/data/vNN.0/query/<locator>-<offset>` (REST API Developer
Guide, "Query").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mock_salesforce.security import EffectivePermissions, SecurityEvaluator
from mock_salesforce.soql.columns import column_metadata
from mock_salesforce.soql.dates import Calendar
from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.explain import explain
from mock_salesforce.soql.expressions import LOCAL_TIME_SQL, local_time
from mock_salesforce.soql.locators import (
    IDLE_LIFETIME,
    LOCATOR_PREFIX,
    Cursor,
    book_for,
    split_locator,
)
from mock_salesforce.soql.outputs import ChildOut
from mock_salesforce.soql.plan import AggregatePlan, CountPlan, Plan, SelectPlan
from mock_salesforce.soql.planner import plan_query
from mock_salesforce.soql.scope import Context
from mock_salesforce.soql.shape import Row, shape_aggregate, shape_record
from mock_salesforce.soql.shapes import parse_shared
from mock_salesforce.store import OrgStore

DEFAULT_BATCH_SIZE = 2000
MIN_BATCH_SIZE = 200
# Aggregate results cannot be paged (SOQL reference, "GROUP BY" considerations).
MAX_AGGREGATE_ROWS = 2000
_CHILD_CHUNK = 500


class Caller(Protocol):
    """Who runs the query: an API session (`mock_salesforce.pipeline.sessions.Session` fits)."""

    @property
    def org(self) -> OrgStore: ...

    @property
    def user_id(self) -> str: ...

    @property
    def perms(self) -> EffectivePermissions: ...

    @property
    def security(self) -> SecurityEvaluator: ...


@dataclass(frozen=True)
class QueryResult:
    """One page of a query result, as `/query` answers it."""

    total_size: int
    done: bool
    records: list[dict[str, Any]]
    next_records_url: str | None = None
    sobject: str | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"totalSize": self.total_size, "done": self.done}
        if self.next_records_url is not None:
            body["nextRecordsUrl"] = self.next_records_url
        body["records"] = self.records
        return body


def clamp_batch_size(requested: int | None) -> int:
    """`Sforce-Query-Options: batchSize=N` is honoured between 200 and 2000."""
    if requested is None:
        return DEFAULT_BATCH_SIZE
    return max(MIN_BATCH_SIZE, min(DEFAULT_BATCH_SIZE, requested))


def execute(
    caller: Caller,
    soql: str,
    *,
    include_deleted: bool = False,
    version: str = "59.0",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> QueryResult:
    """Run `soql` as `caller`: the first page (`/query`, or `/queryAll` with deleted rows)."""
    plan, sobject = _plan(caller, soql, include_deleted)
    store = caller.org
    if isinstance(plan, CountPlan):
        sql, params = plan.sql()
        total = int(store.query(sql, params)[0][0])
        return QueryResult(total, True, [], sobject=sobject)
    if isinstance(plan, AggregatePlan):
        return _aggregate(store, plan, sobject)
    return _first_page(caller, plan, version, batch_size)


def explain_query(caller: Caller, soql: str) -> dict[str, Any]:
    """`/query?explain=`: how the mock would run `soql` for `caller`."""
    plan, sobject = _plan(caller, soql, include_deleted=False)
    return explain(caller.org, plan, sobject)


def query_columns(caller: Caller, soql: str) -> dict[str, Any]:
    """`/query?q=...&columns=true`: the columns `soql` selects for `caller` (no rows)."""
    plan, sobject = _plan(caller, soql, include_deleted=False)
    obj = caller.org.schema.object(sobject)
    assert obj is not None, sobject
    return column_metadata(plan, obj)


def _plan(caller: Caller, soql: str, include_deleted: bool) -> tuple[Plan, str]:
    """The compiled query and the canonical name of its object."""
    store = caller.org
    with store.lock:  # convertTimezone() reads wall-clock time through this SQL function
        store.conn.create_function(LOCAL_TIME_SQL, 2, local_time, deterministic=True)
    query = parse_shared(soql)
    ctx = Context(
        schema=store.schema,
        perms=caller.perms,
        security=caller.security,
        now=store.now(),
        calendar=Calendar(tz=_user_zone(store, caller.user_id)),
        include_deleted=include_deleted,
    )
    plan = plan_query(query, ctx)
    return plan, ctx.readable_object(query.sobject).name


def next_page(caller: Caller, locator_text: str, *, version: str = "59.0") -> QueryResult:
    """The page at `<locator>-<offset>` of an open cursor of `caller`."""
    locator, offset = split_locator(locator_text)
    store = caller.org
    cursor = book_for(store).use(locator, caller.user_id, store.now())
    page_ids = cursor.ids[offset : offset + cursor.batch_size]
    records = _records_by_id(store, cursor.plan, page_ids, version)
    end = offset + len(page_ids)
    done = end >= len(cursor.ids)
    url = None if done else _next_url(version, locator, end)
    return QueryResult(len(cursor.ids), done, records, url, cursor.plan.obj.name)


def _aggregate(store: OrgStore, plan: AggregatePlan, sobject: str) -> QueryResult:
    sql, params = plan.sql()
    rows = store.query(sql, params)
    if len(rows) > MAX_AGGREGATE_ROWS:
        raise MalformedQuery(
            "Aggregate query does not support queryMore(), use LIMIT to restrict the results "
            "to a single batch"
        )
    records = [shape_aggregate(row, plan.outputs) for row in rows]
    return QueryResult(len(records), True, records, sobject=sobject)


def _first_page(caller: Caller, plan: SelectPlan, version: str, batch_size: int) -> QueryResult:
    store = caller.org
    sql, params = plan.sql()
    with store.lock:
        rows = store.conn.execute(sql, params)
        first: list[Row] = rows.fetchmany(batch_size)
        later = [row[0] for row in rows] if len(first) == batch_size else []
    records = shape_rows(store, plan, first, version)
    if not later:
        return QueryResult(len(first), True, records, sobject=plan.obj.name)
    ids = tuple([row[0] for row in first] + later)
    locator = store.new_id(LOCATOR_PREFIX)
    now = store.now()
    cursor = Cursor(caller.user_id, plan, ids, batch_size, now + IDLE_LIFETIME)
    book_for(store).open(locator, cursor, now)
    url = _next_url(version, locator, batch_size)
    return QueryResult(len(ids), False, records, url, plan.obj.name)


def _next_url(version: str, locator: str, offset: int) -> str:
    return f"/services/data/v{version}/query/{locator}-{offset}"


def _records_by_id(
    store: OrgStore, plan: SelectPlan, ids: Sequence[str], version: str
) -> list[dict[str, Any]]:
    if not ids:
        return []
    sql, params = plan.by_ids_sql(len(ids))
    position = {record_id: index for index, record_id in enumerate(ids)}
    rows = sorted(store.query(sql, [*params, *ids]), key=lambda row: position[row[0]])
    return shape_rows(store, plan, rows, version)


def shape_rows(
    store: OrgStore, plan: SelectPlan, rows: Sequence[Row], version: str
) -> list[dict[str, Any]]:
    """Records for `rows`, with each child relationship fetched once for the whole batch."""
    parent_ids = [row[0] for row in rows]
    children = {
        out.key: _children(store, out.plan, parent_ids, version)
        for out in plan.outputs
        if isinstance(out, ChildOut) and parent_ids
    }
    return [shape_record(row, plan.obj, plan.outputs, version, children) for row in rows]


def _children(
    store: OrgStore, plan: SelectPlan, parent_ids: list[str], version: str
) -> dict[str, dict[str, Any]]:
    """`{parent id: {totalSize, done, records}}`; LIMIT and OFFSET apply per parent."""
    grouped: dict[str, list[Row]] = {}
    for chunk in _chunks(parent_ids, _CHILD_CHUNK):
        sql, params = plan.children_sql(len(chunk))
        for row in store.query(sql, [*params, *chunk]):
            grouped.setdefault(row[1], []).append(row)
    start = plan.offset or 0
    stop = None if plan.limit is None else start + plan.limit
    kept = [row for rows in grouped.values() for row in rows[start:stop]]
    records = shape_rows(store, plan, kept, version)
    results: dict[str, dict[str, Any]] = {}
    for child_row, record in zip(kept, records, strict=True):
        result = results.setdefault(child_row[1], {"totalSize": 0, "done": True, "records": []})
        result["records"].append(record)
        result["totalSize"] += 1
    return results


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _user_zone(store: OrgStore, user_id: str) -> tzinfo:
    """Date literals count days in the running user's time zone."""
    rows = store.query('SELECT "TimeZoneSidKey" FROM "User" WHERE "Id" = ?', (user_id,))
    key = rows[0][0] if rows else None
    try:
        return ZoneInfo(key) if key else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
