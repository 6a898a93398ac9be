"""Records per object (audit users by name, deleted rows marked) and a SOQL console that runs
a query as a chosen user through the real SOQL engine, with that user's permissions."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from .. import errors
from ..pipeline.sessions import Session, security_for
from ..soql import engine
from ..store import OrgStore
from . import bp
from .common import find_user_id, object_names, org, render, user_choices, user_names

USER_COLUMNS = ("OwnerId", "CreatedById", "LastModifiedById")
MAX_ROWS = 500


def record_rows(store: OrgStore, obj_name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns shown and every row (deleted ones included), user ids as names."""
    obj = store.schema.object(obj_name)
    if obj is None:
        return [], []
    name = obj.name_field.name if obj.name_field else None
    wanted = ["Id", name, *USER_COLUMNS, "CreatedDate", "LastModifiedDate"]
    columns = [c for c in wanted if c and obj.field(c) is not None]
    names = user_names(store)
    rows = []
    for row in store.find_rows(obj, include_deleted=True)[-MAX_ROWS:]:
        shown = {c: names.get(row[c], row[c]) if c in USER_COLUMNS else row[c] for c in columns}
        shown["deleted"] = bool(row.get("IsDeleted"))
        rows.append(shown)
    return columns, rows


def run_as(store: OrgStore, user: str, soql: str, include_deleted: bool) -> dict[str, Any]:
    """The answer ``/query`` (or ``/queryAll``) gives ``user``: records, or the error."""
    try:
        caller = _caller(store, find_user_id(store, user))
        result = engine.execute(caller, soql, include_deleted=include_deleted)
    except errors.SalesforceError as exc:
        return {"error": exc.to_json(), "status": exc.http_status}
    records = result.records
    columns = [k for k in (records[0] if records else {}) if k != "attributes"]
    obj = store.schema.object(result.sobject) if result.sobject else None
    hidden = [f.name for f in obj.fields if not caller.perms.can_read_field(obj, f)] if obj else []
    return {
        "sobject": result.sobject,
        "hidden": hidden,
        "total_size": result.total_size,
        "done": result.done,
        "columns": columns,
        "rows": [[cell(r.get(c)) for c in columns] for r in records],
        "json": json.dumps(result.to_json(), indent=2)[:200_000],
    }


def _caller(store: OrgStore, user_id: str) -> Session:
    """The session the user's token would open; refused as the API would refuse it."""
    evaluator = security_for(store)
    state = evaluator.user_state(user_id)
    if state is None or not state.active or state.frozen:
        raise errors.InvalidSessionId()
    caller = Session(store, user_id, None, "api", "", evaluator)
    if not caller.perms.api_enabled:
        raise errors.ApiCurrentlyDisabled()
    return caller


def cell(value: Any) -> str:
    """A result value as text: a parent record by its fields, a child list by its size."""
    if isinstance(value, dict):
        if "records" in value:
            return f"{value.get('totalSize', len(value['records']))} record(s)"
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items() if k != "attributes")
    return "" if value is None else str(value)


@bp.get("/ui/orgs/<org_id>/records")
def records(org_id: str) -> str:
    store = org(org_id)
    chosen = request.args.get("object") or "Contact"
    columns, rows = record_rows(store, chosen)
    soql = request.args.get("q", "")
    as_user = request.args.get("as_user", "")
    include_deleted = request.args.get("all") == "on"
    result = run_as(store, as_user, soql, include_deleted) if soql and as_user else None
    return render(
        "records.html",
        store,
        objects=object_names(store),
        chosen=chosen,
        columns=columns,
        rows=rows,
        max_rows=MAX_ROWS,
        users=user_choices(store),
        soql=soql,
        as_user=as_user,
        include_deleted=include_deleted,
        result=result,
    )
