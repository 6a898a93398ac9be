"""The journal, live: filters, new calls without a reload (the page polls ``journal/rows``),
and one call's detail."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, request

from ..errors import ControlError
from ..pipeline import faults
from ..pipeline import journal as calls
from ..store import OrgStore
from . import bp
from .common import org, render, user_choices

# The filters the page offers (a subset of ``journal.FILTERS``), with their labels.
FILTERS = {
    "user": "User",
    "client_id": "Client id",
    "operation": "Operation",
    "sobject": "Object",
    "status": "Status",
    "error_code": "errorCode",
    "record_id": "Record id",
}
SHOWN = 200


def _filters() -> dict[str, str]:
    return {k: v.strip() for k, v in request.args.items() if k in FILTERS and v.strip()}


def _entries(store: OrgStore, filters: dict[str, str], since: int = 0) -> list[dict[str, Any]]:
    """The newest matching calls after ``since``, newest first."""
    wanted = {**filters, "since_seq": str(since)} if since else dict(filters)
    if wanted.get("status") and not wanted["status"].isdigit():
        raise ControlError(f"status is an HTTP status number, not '{wanted['status']}'")
    return list(reversed(calls.query(store, wanted)[-SHOWN:]))


@bp.get("/ui/orgs/<org_id>/journal")
def journal(org_id: str) -> str:
    store = org(org_id)
    filters = _filters()
    entries = _entries(store, filters)
    operations = [r["operation"] for r in store.query(_DISTINCT.format("operation"))]
    return render(
        "journal.html",
        store,
        entries=entries,
        filters=filters,
        filter_labels=FILTERS,
        users=user_choices(store),
        operations=operations,
        shown=SHOWN,
        last_seq=max((e["seq"] for e in entries), default=_last_seq(store)),
    )


_DISTINCT = "SELECT DISTINCT {0} FROM _mock_journal WHERE {0} IS NOT NULL ORDER BY {0}"


def _last_seq(store: OrgStore) -> int:
    return int(store.query("SELECT COALESCE(MAX(seq), 0) AS n FROM _mock_journal")[0]["n"])


@bp.get("/ui/orgs/<org_id>/journal/rows")
def journal_rows(org_id: str) -> Response:
    """The rows of calls after ``since_seq`` (HTML), for the page's polling script."""
    store = org(org_id)
    since = int(request.args.get("since_seq", "0") or 0)
    entries = _entries(store, _filters(), since)
    html = render_template("dashboard/_journal_rows.html", entries=entries, store=store)
    response = make_response(html)
    response.headers["X-Last-Seq"] = str(max((e["seq"] for e in entries), default=since))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/ui/orgs/<org_id>/journal/<int:seq>")
def journal_entry(org_id: str, seq: int) -> str:
    """One call: who, what, the SOQL, the records touched, the fault that fired."""
    store = org(org_id)
    found = calls.query(store, {"since_seq": str(seq - 1), "limit": "1"})
    if not found or found[0]["seq"] != seq:
        raise ControlError(f"no call #{seq} in this org's journal", status=404)
    entry = found[0]
    fault = next((f for f in faults.all_faults(store) if f.id == entry.get("fault_id")), None)
    touched = [
        {"id": rid, "object": _object_of(store, rid)} for rid in entry.get("record_ids") or []
    ]
    return render("journal_entry.html", store, entry=entry, fault=fault, touched=touched)


def _object_of(store: OrgStore, record_id: str) -> str | None:
    obj = store.schema.by_prefix(record_id[:3])
    return obj.name if obj else None
