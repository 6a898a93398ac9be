"""``/_mock/orgs/<org>/bulk``: the control plane's bulk knobs.

``GET`` the org's bulk settings and jobs; ``PATCH`` the settings (``processing_seconds``: how
long a queued job or batch waits on the org's clock before it runs; ``hold``: new jobs stay
``InProgress`` until released; ``daily_batches`` / ``daily_query_jobs``: the allocations);
``POST .../jobs/<id>/hold``, ``/release`` and ``/fail`` (``{"errorMessage": ...}``) act on one
job of either Bulk API. Rows are made to fail with fault rules (``operation: bulk_row``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from ..errors import ControlError, SalesforceError
from ..pipeline import safejson
from ..pipeline.state import org
from ..store import OrgStore
from . import classic, state
from .jobs import CLASSIC, Job, job_batches, list_jobs, load_job

bp = Blueprint("bulk_control", __name__, url_prefix="/_mock/orgs/<org_id>/bulk")
SETTINGS = {
    "processing_seconds": ("bulk_processing_seconds", (int, float), 0),
    "hold": ("bulk_hold", (bool,), False),
    "daily_batches": ("bulk_daily_batches", (int,), 15000),
    "daily_query_jobs": ("bulk_daily_query_jobs", (int,), 10000),
}
ALL_KINDS = ("V2Ingest", "V2Query", CLASSIC)


def body() -> dict[str, Any]:
    """The JSON object sent (an empty object when there is no body)."""
    if not request.get_data():
        return {}
    try:
        data = safejson.loads(request.get_data().decode("utf-8"))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def _settings(store: OrgStore) -> dict[str, Any]:
    return {name: store.setting(key, default) for name, (key, _, default) in SETTINGS.items()}


def _summary(store: OrgStore, job: Job) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "id": job.id,
        "jobType": job.kind,
        "operation": job.operation,
        "object": job.object,
        "state": job.state,
        "held": job.held,
        "createdById": job.created_by,
        "numberRecordsProcessed": job.records_processed,
        "numberRecordsFailed": job.records_failed,
        "errorMessage": job.error_message,
    }
    if job.kind == CLASSIC:
        summary["batches"] = [
            {"id": b.id, "state": b.state, "stateMessage": b.state_message}
            for b in job_batches(store, job.id)
        ]
    return summary


@bp.get("")
def bulk_overview(org_id: str) -> Response:
    store = org(org_id)
    state.advance_org(store)
    jobs = [_summary(store, j) for j in list_jobs(store, ALL_KINDS)]
    return jsonify({"settings": _settings(store), "jobs": jobs})


@bp.patch("")
def update_bulk_settings(org_id: str) -> Response:
    store = org(org_id)
    spec = body()
    for name, value in spec.items():
        if name not in SETTINGS:
            raise ControlError(f"unknown bulk setting '{name}'; known: {', '.join(SETTINGS)}")
        key, kinds, _ = SETTINGS[name]
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            raise ControlError(f"bulk setting '{name}' must be a {kinds[0].__name__}")
        if bool not in kinds and value < 0:
            raise ControlError(f"bulk setting '{name}' must be 0 or more")
        store.set_setting(key, value)
    state.advance_org(store)
    return jsonify({"settings": _settings(store)})


def _job(store: OrgStore, job_id: str) -> Job:
    job = load_job(store, job_id)
    if job is None:
        raise ControlError(f"no bulk job '{job_id}' in this org", status=404)
    return job


@bp.get("/jobs/<job_id>")
def bulk_job(org_id: str, job_id: str) -> Response:
    store = org(org_id)
    return jsonify(_summary(store, state.advance(store, _job(store, job_id))))


@bp.post("/jobs/<job_id>/<action>")
def bulk_job_action(org_id: str, job_id: str, action: str) -> Response:
    """``hold``, ``release`` or ``fail`` one job."""
    store = org(org_id)
    job = _job(store, job_id)
    try:
        if action in ("hold", "release"):
            held = action == "hold"
            if job.kind == CLASSIC:
                job = classic.hold(store, job, held)
            else:
                job = state.hold(store, job, held)
        elif action == "fail":
            message = str(body().get("errorMessage") or "InvalidBatch : Failed by the test")
            job = (
                classic.fail(store, job, message)
                if job.kind == CLASSIC
                else state.fail(store, job, message)
            )
        else:
            raise ControlError(f"unknown action '{action}'; known: hold, release, fail", 404)
    except SalesforceError as exc:
        raise ControlError(exc.message, status=409) from None
    return jsonify(_summary(store, job))
