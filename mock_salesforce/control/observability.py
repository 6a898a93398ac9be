"""The clock, the journal, faults and snapshots of an org."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Response, jsonify, request

from ..errors import ControlError
from ..pipeline import faults, journal
from ..schema.values import format_datetime, parse_datetime
from ..store import OrgStore
from . import bp
from .common import body, org
from .openapi import accepts, query


def clock_json(store: OrgStore) -> dict[str, Any]:
    return {"now": format_datetime(store.now()), "frozen": store.clock.state.frozen_at is not None}


@bp.get("/orgs/<org_id>/clock")
def get_clock(org_id: str) -> Response:
    return jsonify(clock_json(org(org_id)))


@bp.put("/orgs/<org_id>/clock")
@accepts({"now": str, "frozen": bool, "real": bool})
def set_clock(org_id: str) -> Response:
    """``{"now": "2024-05-01T09:00:00Z", "frozen": true}`` or ``{"real": true}``."""
    store = org(org_id)
    spec = body()
    if spec.get("real"):
        store.clock.reset()
    elif "now" in spec:
        try:
            moment = parse_datetime(str(spec["now"]))
        except ValueError as exc:
            raise ControlError(str(exc)) from exc
        _check_year(moment)
        store.clock.set(moment, frozen=bool(spec.get("frozen", True)))
    elif spec.get("frozen") is False:
        store.clock.resume()
    else:
        raise ControlError('send {"now": <ISO datetime>, "frozen": bool} or {"real": true}')
    return jsonify(clock_json(store))


@bp.post("/orgs/<org_id>/clock/advance")
@accepts({"seconds": float, "minutes": float, "hours": float, "days": float})
def advance_clock(org_id: str) -> Response:
    """``{"seconds": 3600}`` (also minutes, hours, days; negative goes back)."""
    store = org(org_id)
    spec = body()
    units = {k: float(spec[k]) for k in ("seconds", "minutes", "hours", "days") if k in spec}
    if not units:
        raise ControlError("send one of seconds, minutes, hours, days")
    delta = timedelta(**units)
    _check_year(store.now() + delta)
    store.clock.advance(delta)
    return jsonify(clock_json(store))


# Salesforce stores dates from 1700-01-01 to 4000-12-31; a clock outside cannot stamp records.
FIRST_YEAR, LAST_YEAR = 1700, 4000


def _check_year(moment: datetime) -> None:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ControlError(
            f"the clock must stay between the years {FIRST_YEAR} and {LAST_YEAR} (Salesforce's "
            f"range of dates), not {moment.year}"
        )


@bp.get("/orgs/<org_id>/journal")
@query(*journal.FILTERS, "wait", "bodies")
def get_journal(org_id: str) -> Response:
    """Entries in call order; filters as query parameters (user, operation, sobject, ...);
    ``since_seq=N&wait=30`` long-polls for new entries, ``bodies=true`` adds kept bodies.
    ``X-Mock-Journal-Dropped`` counts the oldest entries dropped beyond ``journal_limit``."""
    store = org(org_id)
    response = jsonify(journal.wait_for(store, request.args.to_dict()))
    response.headers["X-Mock-Journal-Dropped"] = str(journal.stats(store)["dropped"])
    return response


@bp.get("/orgs/<org_id>/journal/stats")
def journal_stats(org_id: str) -> Response:
    """``{"entries": n, "limit": l, "dropped": d}``."""
    return jsonify(journal.stats(org(org_id)))


@bp.delete("/orgs/<org_id>/journal")
def clear_journal(org_id: str) -> tuple[str, int]:
    journal.clear(org(org_id))
    return "", 204


@bp.post("/orgs/<org_id>/faults")
@accepts(
    {
        "id": str,
        "match": dict,
        "error": dict,
        "latency_ms": int,
        "nth": int,
        "times": int,
        "probability": float,
        "seed": int,
    }
)
def add_fault(org_id: str) -> tuple[Response, int]:
    store = org(org_id)
    return jsonify(faults.add(store, faults.parse(body())).to_json()), 201


@bp.get("/orgs/<org_id>/faults")
def list_faults(org_id: str) -> Response:
    return jsonify([f.to_json() for f in faults.all_faults(org(org_id))])


@bp.delete("/orgs/<org_id>/faults")
def clear_faults(org_id: str) -> tuple[str, int]:
    faults.remove(org(org_id))
    return "", 204


@bp.delete("/orgs/<org_id>/faults/<fault_id>")
def delete_fault(org_id: str, fault_id: str) -> tuple[str, int]:
    if not faults.remove(org(org_id), fault_id):
        raise ControlError(f"no fault '{fault_id}'", status=404)
    return "", 204


@bp.post("/orgs/<org_id>/snapshots")
@accepts({"name": str}, required=["name"])
def take_snapshot(org_id: str) -> tuple[Response, int]:
    """``{"name": "before-push"}``: keep the org's whole state under a name."""
    store = org(org_id)
    name = str(body().get("name") or "")
    if not name:
        raise ControlError("'name' is required")
    return jsonify({"name": name, "bytes": store.save_snapshot(name)}), 201


@bp.get("/orgs/<org_id>/snapshots")
def list_snapshots(org_id: str) -> Response:
    store = org(org_id)
    sizes = store.snapshots.sizes() if store.snapshots is not None else {}
    return jsonify([{"name": n, "bytes": size} for n, size in sizes.items()])


@bp.post("/orgs/<org_id>/snapshots/<name>/restore")
def restore_snapshot(org_id: str, name: str) -> Response:
    store = org(org_id)
    if not store.restore(name):
        raise ControlError(f"no snapshot '{name}'", status=404)
    return jsonify({"restored": name})
