"""Faults (add, remove, counters), snapshots (take, restore) and connected apps (policies;
secrets only when asked)."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, request

from .. import org_admin
from ..errors import ControlError, known_error_codes
from ..pipeline import faults as fault_rules
from ..pipeline.faults import MATCH_KEYS
from . import bp, csrf
from .common import done, field, org, render

INITIAL = "__initial__"


def _fault_spec() -> dict[str, Any]:
    """The form as the control plane's fault JSON; ``faults.parse`` checks it."""
    spec: dict[str, Any] = {"match": {k: field(k) for k in MATCH_KEYS if field(k)}}
    error: dict[str, Any] = {}
    if field("error_code"):
        error["errorCode"] = field("error_code")
    if field("oauth_error"):
        error["error"] = field("oauth_error")
    if field("message"):
        error["message"] = field("message")
    if field("status"):
        error["status"] = _number("status")
    spec["error"] = error
    for key in ("id", "latency_ms", "nth", "probability", "seed"):
        if field(key):
            spec[key] = field(key)
    times = request.form.get("times", "1").strip()
    spec["times"] = None if times in ("", "unlimited", "0") else _number("times", times)
    return spec


def _number(name: str, text: str | None = None) -> int:
    text = field(name) if text is None else text
    try:
        return int(text)
    except ValueError as exc:
        raise ControlError(f"'{name}' is a whole number, not '{text}'") from exc


@bp.get("/ui/orgs/<org_id>/faults")
def faults(org_id: str) -> str:
    store = org(org_id)
    return render(
        "faults.html",
        store,
        faults=fault_rules.all_faults(store),
        match_keys=MATCH_KEYS,
        error_codes=known_error_codes(),
    )


@bp.get("/ui/orgs/<org_id>/faults/rows")
def fault_rows(org_id: str) -> Response:
    """The faults table's rows (HTML), polled by the page so the counters move live."""
    store = org(org_id)
    html = render_template(
        "dashboard/_fault_rows.html",
        faults=fault_rules.all_faults(store),
        store=store,
        csrf_token=csrf.token(),
    )
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/ui/orgs/<org_id>/faults")
def add_fault(org_id: str) -> Response:
    store = org(org_id)
    fault = fault_rules.add(store, fault_rules.parse(_fault_spec()))
    return done("dashboard.faults", f"Fault {fault.id} added", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/faults/<fault_id>/delete")
def remove_fault(org_id: str, fault_id: str) -> Response:
    if not fault_rules.remove(org(org_id), fault_id):
        raise ControlError(f"no fault '{fault_id}'", status=404)
    return done("dashboard.faults", f"Fault {fault_id} removed", org_id=org_id)


@bp.get("/ui/orgs/<org_id>/snapshots")
def snapshots(org_id: str) -> str:
    store = org(org_id)
    sizes = store.snapshots.sizes() if store.snapshots is not None else {}
    taken = [
        {"name": name, "bytes": size, "initial": name == INITIAL} for name, size in sizes.items()
    ]
    return render("snapshots.html", store, snapshots=taken)


@bp.post("/ui/orgs/<org_id>/snapshots")
def take_snapshot(org_id: str) -> Response:
    store = org(org_id)
    name = field("name")
    if not name or name == INITIAL:
        raise ControlError("give the snapshot a name (not the reserved __initial__)")
    store.save_snapshot(name)
    return done("dashboard.snapshots", f"Snapshot {name} taken", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/snapshots/<name>/restore")
def restore_snapshot(org_id: str, name: str) -> Response:
    store = org(org_id)
    if not store.restore(name):
        raise ControlError(f"no snapshot '{name}'", status=404)
    return done("dashboard.snapshots", f"Restored {name}", org_id=org_id)


def _apps_page(org_id: str, revealed: str | None = None) -> str:
    store = org(org_id)
    apps = org_admin.connected_apps(store)
    return render("apps.html", store, apps=apps, revealed=revealed)


@bp.get("/ui/orgs/<org_id>/apps")
def apps(org_id: str) -> str:
    return _apps_page(org_id)


@bp.post("/ui/orgs/<org_id>/apps/<client_id>/secret")
def reveal_secret(org_id: str, client_id: str) -> str:
    """The page again, with this one app's secret shown (a POST: never in a URL or history)."""
    if org_admin.find_connected_app(org(org_id), client_id) is None:
        raise ControlError(f"no connected app '{client_id}'", status=404)
    return _apps_page(org_id, client_id)
