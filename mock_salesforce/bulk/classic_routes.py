"""``/services/async/NN.0/...``: Bulk API 1.0 (no ``v`` before the version). The session is the
``X-SFDC-Session`` header (an OAuth access token works; ``Authorization: Bearer`` too). A JSON job
answers JSON, an XML or CSV job XML (CSV results as CSV); before a job is known the request's
``Content-Type`` decides. Errors are ``<error><exceptionCode>`` documents, HTTP 400, an invalid
session included (jsforce refreshes its token on exactly that).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import HTTPException, InternalServerError

from .. import pipeline
from ..errors import SalesforceError, UnknownException
from ..pipeline.sessions import current_session
from ..records.context import Caller
from ..versions import MAX_VERSION, MIN_VERSION
from . import classic, classic_format, csvdata, state
from .errors import BulkError, InvalidBatch, InvalidJob, InvalidUrl
from .jobs import CLASSIC, Batch, Job, job_batches, load_batch, load_job, save_job

log = logging.getLogger("mock_salesforce")
bp = Blueprint("bulk1", __name__, url_prefix="/services/async")
JOB = "/<version>/job/<job_id>"
BATCH = JOB + "/batch/<batch_id>"
_EXCEPTIONS = {
    "INVALID_SESSION_ID": ("InvalidSessionId", "Invalid session id"),
    "REQUEST_LIMIT_EXCEEDED": ("ExceededQuota", None),
    "API_CURRENTLY_DISABLED": ("InvalidUser", None),
    "UNKNOWN_EXCEPTION": ("Unknown", None),
}


@bp.before_request
def _authenticate() -> None:
    pipeline.begin("bulk")
    g.bulk_json = "json" in (request.mimetype or "")
    version = str((request.view_args or {}).get("version", ""))
    major, _, minor = version.partition(".")
    if not (major.isdigit() and minor == "0" and MIN_VERSION <= int(major) <= MAX_VERSION):
        raise InvalidUrl(f"Invalid version: {version or 'none given'}")
    token = request.headers.get("X-SFDC-Session")
    session = pipeline.authenticate(token.strip() if token else None)
    state.advance_org(session.org)


@bp.errorhandler(SalesforceError)
def _error(exc: SalesforceError) -> Response:
    code, message = _EXCEPTIONS.get(exc.error_code, (exc.error_code, None))
    if isinstance(exc, BulkError):
        code = exc.exception_code
    g.sf_error_code = code
    status = exc.http_status if exc.http_status >= 500 else 400
    return _document(classic_format.error_document(code, message or exc.message, _json()), status)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    """Routing errors, and (as InternalServerError) anything unexpected, which is logged."""
    if isinstance(exc, InternalServerError):
        original = exc.original_exception
        log.error("unexpected error on %s %s", request.method, request.path, exc_info=original)
        name = type(original).__name__ if original else "error"
        return _error(UnknownException(f"An unexpected error occurred: {name}"))
    code = "MethodNotAllowed" if exc.code == 405 else "InvalidUrl"
    g.sf_error_code = code
    message = exc.description or exc.name
    return _document(classic_format.error_document(code, message, _json()), exc.code or 400)


def _json() -> bool:
    return bool(g.get("bulk_json", False))


def _document(text: str, status: int = 200) -> Response:
    kind = "application/json" if _json() else "application/xml"
    return Response(text, status=status, content_type=f"{kind}; charset=UTF-8")


def _caller(version: str) -> Caller:
    return Caller(current_session(), version)


def _job(job_id: str) -> Job:
    session = current_session()
    job = load_job(session.org, job_id)
    perms = session.perms
    if (
        job is None
        or job.kind != CLASSIC
        or not (
            job.created_by == session.user_id
            or perms.has("ModifyAllData")
            or perms.has("ViewAllData")
        )
    ):
        raise InvalidJob(f"Unable to find job for id: {job_id}")
    g.bulk_json = job.content_type == "JSON"
    pipeline.note(sobject=job.object)
    return job


def _batch(job: Job, batch_id: str) -> Batch:
    batch = load_batch(current_session().org, job.id, batch_id)
    if batch is None:
        raise InvalidBatch(f"Unable to find batch for id: {batch_id}")
    return batch


def _job_answer(job: Job) -> Response:
    batches = job_batches(current_session().org, job.id)
    fields = classic_format.job_fields(job, batches, json_dates=_json())
    if _json():
        return _document(json.dumps(fields))
    return _document(classic_format.xml_document("jobInfo", fields))


def _batch_answer(batch: Batch) -> Response:
    fields = classic_format.batch_fields(batch, json_dates=_json())
    if _json():
        return _document(json.dumps(fields))
    return _document(classic_format.xml_document("batchInfo", fields))


@bp.post("/<version>/job")
def create_job(version: str) -> Response:
    spec = classic_format.parse_job_spec(request.get_data(), _json())
    job = classic.create_job(_caller(version), spec)
    save_job(current_session().org, job)
    pipeline.note(sobject=job.object)
    return _job_answer(job)


@bp.get(JOB)
def get_job(version: str, job_id: str) -> Response:
    return _job_answer(_job(job_id))


@bp.post(JOB)
def change_job_state(version: str, job_id: str) -> Response:
    job = _job(job_id)
    spec = classic_format.parse_job_spec(request.get_data(), "json" in (request.mimetype or ""))
    return _job_answer(classic.change_state(current_session().org, job, spec.get("state")))


@bp.post(JOB + "/batch")
def add_batch(version: str, job_id: str) -> Response:
    job = _job(job_id)
    store = current_session().org
    batch = classic.add_batch(store, job, request.get_data())
    answer = _batch_answer(batch)
    classic.advance_batches(store, job)
    return answer


@bp.get(JOB + "/batch")
def list_batches(version: str, job_id: str) -> Response:
    job = _job(job_id)
    batches = [
        classic_format.batch_fields(b, json_dates=_json())
        for b in job_batches(current_session().org, job.id)
    ]
    if _json():
        return _document(json.dumps({"batchInfo": batches}))
    return _document(classic_format.batch_list_xml(batches))


@bp.get(BATCH)
def get_batch(version: str, job_id: str, batch_id: str) -> Response:
    return _batch_answer(_batch(_job(job_id), batch_id))


@bp.get(BATCH + "/request")
def get_batch_request(version: str, job_id: str, batch_id: str) -> Response:
    batch = _batch(_job(job_id), batch_id)
    kinds = {"CSV": "text/csv", "JSON": "application/json", "XML": "application/xml"}
    kind = kinds.get(batch.content_type, "text/plain")
    return Response(batch.content, content_type=f"{kind}; charset=UTF-8")


@bp.get(BATCH + "/result")
def get_batch_result(version: str, job_id: str, batch_id: str) -> Response:
    job = _job(job_id)
    batch = _batch(job, batch_id)
    if batch.state not in ("Completed", "Failed") or (
        batch.state == "Failed" and not batch.results and not batch.result_ids
    ):
        raise InvalidBatch(f"Batch not completed: {batch.state}")
    if job.is_query:
        if _json():
            return _document(json.dumps(batch.result_ids))
        return _document(classic_format.result_list_xml(batch.result_ids))
    results = batch.row_results()
    if job.content_type == "CSV":
        return _csv(classic_format.results_csv(results))
    if _json():
        return _document(json.dumps(classic_format.results_json(results)))
    return _document(classic_format.results_xml(results))


@bp.get(BATCH + "/result/<result_id>")
def get_query_result(version: str, job_id: str, batch_id: str, result_id: str) -> Response:
    job = _job(job_id)
    batch = _batch(job, batch_id)
    if not job.is_query or result_id not in batch.result_ids:
        raise InvalidBatch(f"Unable to find result for id: {result_id}")
    if job.content_type == "CSV":
        header = csvdata.write_rows([batch.query_columns])
        return _csv(header + csvdata.write_rows(batch.query_rows))
    if _json():
        return _document(json.dumps(classic_format.query_json(batch)))
    return _document(classic_format.query_xml(batch))


def _csv(text: str) -> Response:
    return Response(text, content_type="text/csv; charset=UTF-8")


@bp.route("/<version>/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_resource(version: str, rest: str) -> Any:
    raise InvalidUrl(f"Unknown resource: /services/async/{version}/{rest}")
