"""``/services/data/vNN.0/jobs/ingest`` and ``/jobs/query``: Bulk API 2.0. Views are thin; the
jobs live in ``ingest``, ``query`` and ``state``. Trailing slashes (the docs' curl examples) are
served like the bare paths by the app's middleware.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from .. import pipeline
from ..errors import JsonParserError, NotFound
from ..pipeline import safejson
from ..pipeline.sessions import current_session
from ..records.context import Caller
from ..versions import MAX_VERSION
from . import ingest, query_jobs, state
from .errors import ClientInputError, InvalidJob, JobNotFound
from .info import job_info
from .jobs import CLASSIC, V2_INGEST, V2_QUERY, Job, delete_job, list_jobs, load_job, save_job

bp = Blueprint("bulk2", __name__, url_prefix="/services/data")
pipeline.install(bp, "bulk2")
INGEST = "/v<version>/jobs/ingest"
QUERY = "/v<version>/jobs/query"
CSV_TYPE = "text/csv; charset=UTF-8"
MIN_INGEST, MIN_QUERY = 41, 47


@bp.url_value_preprocessor
def _check_version(endpoint: str | None, values: dict[str, Any] | None) -> None:
    version = str((values or {}).get("version", ""))
    major, _, minor = version.partition(".")
    lowest = MIN_QUERY if "/jobs/query" in request.path else MIN_INGEST
    if not (major.isdigit() and minor == "0" and lowest <= int(major) <= MAX_VERSION):
        raise NotFound()


@bp.before_request
def _advance_jobs() -> None:
    """Time passes for the org's jobs before the call is served."""
    if g.get("sf_session") is not None:
        state.advance_org(current_session().org)


def caller() -> Caller:
    """The token's user at this request's API version."""
    return Caller(current_session(), str((request.view_args or {}).get("version", "59.0")))


def json_body() -> Any:
    """The JSON body; JSON_PARSER_ERROR (as the REST API answers) when it is not JSON."""
    text = request.get_data(cache=True).decode("utf-8", errors="replace")
    if not text.strip():
        raise JsonParserError(
            "The HTTP entity body is required, but this request has no entity body."
        )
    try:
        return safejson.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonParserError(
            f"Unexpected character: {exc.msg} at [line:{exc.lineno}, column:{exc.colno}]"
        ) from None
    except safejson.JsonRefused as exc:
        raise JsonParserError(str(exc)) from None


def _job(job_id: str, kinds: tuple[str, ...]) -> Job:
    """A job of the caller's org they may see (their own, or any with View All Data)."""
    session = current_session()
    job = load_job(session.org, job_id)
    if job is None or job.kind not in kinds:
        raise JobNotFound()
    perms = session.perms
    if job.created_by != session.user_id and not (
        perms.has("ModifyAllData") or perms.has("ViewAllData")
    ):
        raise JobNotFound()
    pipeline.note(sobject=job.object)
    return job


def _csv(text: str, **headers: str) -> Response:
    response = Response(text, status=200)
    response.headers["Content-Type"] = CSV_TYPE
    response.headers.update(headers)
    return response


@bp.post(INGEST)
def create_ingest_job(version: str) -> Response:
    store = current_session().org
    if request.mimetype == "multipart/form-data":
        return _create_with_data()
    job = ingest.create_job(caller(), json_body())
    save_job(store, job)
    pipeline.note(sobject=job.object)
    return jsonify(job_info(job))


def _create_with_data() -> Response:
    """Multipart create: a ``job`` part (JSON) and a ``content`` part (CSV), queued at once."""
    parts = {**request.form, **{k: v.read().decode() for k, v in request.files.items()}}
    try:
        spec = safejson.loads(parts.get("job", ""))
    except ValueError:
        raise InvalidJob("The job part must be JSON") from None
    if "content" not in parts:
        raise ClientInputError("The content part is missing")
    store = current_session().org
    job = ingest.create_job(caller(), spec)
    ingest.upload(job, parts["content"].encode())
    state.queue(store, job)
    pipeline.note(sobject=job.object)
    info = job_info(job)
    state.advance(store, job)
    return jsonify(info)


@bp.put(f"{INGEST}/<job_id>/batches")
def upload_job_data(version: str, job_id: str) -> Response:
    job = _job(job_id, (V2_INGEST,))
    ingest.upload(job, request.get_data())
    save_job(current_session().org, job)
    response = Response(status=201)
    del response.headers["Content-Type"]
    return response


@bp.patch(f"{INGEST}/<job_id>")
@bp.patch(f"{QUERY}/<job_id>")
def change_job_state(version: str, job_id: str) -> Response:
    kinds = (V2_QUERY,) if "/jobs/query/" in request.path else (V2_INGEST,)
    job = _job(job_id, kinds)
    store = current_session().org
    spec = json_body()
    wanted = spec.get("state") if isinstance(spec, dict) else None
    if wanted == "UploadComplete" and not job.is_query:
        state.queue(store, job)
        info = job_info(job)
        state.advance(store, job)
        return jsonify(info)
    if wanted == "Aborted":
        return jsonify(job_info(state.abort(store, job)))
    raise InvalidJob(f"Invalid state for this job: {wanted}")


@bp.get(f"{INGEST}/<job_id>")
@bp.get(f"{QUERY}/<job_id>")
def get_job_info(version: str, job_id: str) -> Response:
    kinds = (V2_QUERY,) if "/jobs/query/" in request.path else (V2_INGEST,)
    return jsonify(job_info(_job(job_id, kinds)))


@bp.delete(f"{INGEST}/<job_id>")
@bp.delete(f"{QUERY}/<job_id>")
def delete_bulk_job(version: str, job_id: str) -> Response:
    kinds = (V2_QUERY,) if "/jobs/query/" in request.path else (V2_INGEST,)
    job = _job(job_id, kinds)
    state.check_deletable(job)
    delete_job(current_session().org, job.id)
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


@bp.get(f"{INGEST}/<job_id>/<kind>")
def get_ingest_results(version: str, job_id: str, kind: str) -> Response:
    """``successfulResults``, ``failedResults``, ``unprocessedrecords`` (any letter case)."""
    names = {
        "successfulresults": "successful",
        "failedresults": "failed",
        "unprocessedrecords": "unprocessed",
    }
    if kind.lower() not in names:
        raise NotFound()
    job = _job(job_id, (V2_INGEST,))
    return _csv(ingest.results_csv(job, names[kind.lower()]))


@bp.get(INGEST)
@bp.get(QUERY)
def list_bulk_jobs(version: str) -> Response:
    querying = request.path.rstrip("/").endswith("/jobs/query")
    kinds = (V2_QUERY, CLASSIC) if querying else (V2_INGEST,)
    session = current_session()
    jobs = [j for j in list_jobs(session.org, kinds) if _listed(j, session.user_id)]
    return jsonify(
        query_jobs.job_list(
            jobs, version, request.args.to_dict(), "query" if querying else "ingest"
        )
    )


def _listed(job: Job, user_id: str) -> bool:
    perms = current_session().perms
    return job.created_by == user_id or perms.has("ModifyAllData") or perms.has("ViewAllData")


@bp.post(QUERY)
def create_query_job(version: str) -> Response:
    store = current_session().org
    job = query_jobs.create_job(caller(), json_body())
    save_job(store, job)
    pipeline.note(sobject=job.object, soql=job.query)
    info = job_info(job)
    state.advance(store, job)
    return jsonify(info)


@bp.get(f"{QUERY}/<job_id>/results")
def get_query_results(version: str, job_id: str) -> Response:
    job = _job(job_id, (V2_QUERY,))
    page = query_jobs.results_page(job, version, request.args.get("locator"), request.args)
    return _csv(
        page.text,
        **{"Sforce-NumberOfRecords": str(page.count), "Sforce-Locator": page.next_locator},
    )
