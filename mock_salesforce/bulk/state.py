"""The job state machine, run on the org's clock.

Bulk API 2.0 ingest: ``Open`` -UploadComplete-> ``UploadComplete`` -> ``InProgress`` ->
``JobComplete`` | ``Failed``; ``Open``, ``UploadComplete`` and ``InProgress`` may be ``Aborted``.
Query jobs start ``UploadComplete``. Nothing runs before ``UploadComplete`` (Bulk API 2.0 guide,
"Job States"). A queued job runs once the org's clock has passed its ready time plus the org's
``bulk_processing_seconds`` (0 by default: it runs in the request that queued it); a held job
(``bulk_hold`` on the org, or a hold from the control plane) stays ``InProgress`` until released.
Every bulk call of an org first moves the org's due jobs along, so time passes for jobs even
when nobody polls them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import has_request_context

from .. import pipeline
from ..errors import SalesforceError
from ..pipeline import limits
from ..schema.values import parse_datetime
from ..store import OrgStore
from . import csvdata, ingest, query
from .errors import ApiError, ExceededQuota, InvalidJobState
from .jobs import CLASSIC, Job, RowResult, load_job, pending_job_ids, save_job
from .rows import job_caller

_RUNNING = "bulk.running"
PENDING = ("UploadComplete", "InProgress")


def processing_delay(store: OrgStore) -> timedelta:
    return timedelta(seconds=float(store.setting("bulk_processing_seconds", 0) or 0))


def is_due(store: OrgStore, ready_at: str | None) -> bool:
    if ready_at is None:
        return False
    return parse_datetime(ready_at) + processing_delay(store) <= store.now()


def touch(store: OrgStore, job: Job) -> None:
    job.system_modstamp = store.now_text()


@contextmanager
def claim(store: OrgStore, key: str) -> Iterator[bool]:
    """Whether this request runs ``key`` (a job or batch another request is not running)."""
    with store.lock:
        running: set[str] = store.cache.setdefault(_RUNNING, set())
        mine = key not in running
        running.add(key)
    try:
        yield mine
    finally:
        if mine:
            with store.lock:
                running.discard(key)


def advance(store: OrgStore, job: Job) -> Job:
    """The job as the clock says it is now (running it if it is due)."""
    if job.kind == CLASSIC:
        from . import classic

        classic.advance_batches(store, job)
        return load_job(store, job.id) or job
    if job.state not in PENDING or job.processed:
        return job
    if job.held or not is_due(store, job.ready_at):
        if job.state != "InProgress":
            job.state = "InProgress"
            touch(store, job)
            save_job(store, job)
        return job
    return _run(store, job)


def advance_org(store: OrgStore) -> None:
    """Move every due job of the org along (called before each bulk call is served)."""
    for job_id in pending_job_ids(store):
        job = load_job(store, job_id)
        if job is not None:
            advance(store, job)


def _run(store: OrgStore, job: Job) -> Job:
    with claim(store, job.id) as mine:
        current = load_job(store, job.id)
        if not mine or current is None or current.state not in PENDING or current.processed:
            return current or job
        job = current
        job.state = "InProgress"
        save_job(store, job)
        try:
            if job.is_query:
                _run_query(store, job)
            else:
                ingest.process(store, job)
        except SalesforceError as exc:
            ingest.fail(job, exc.message)
        job.processed = True
        note_rows(job.row_results())
        latest = load_job(store, job.id)
        if latest is not None and latest.state == "Aborted":
            job.state = "Aborted"
        touch(store, job)
        save_job(store, job)
    return job


def note_rows(results: list[RowResult]) -> None:
    """The journal entry of the call that ran the rows names the records they wrote."""
    if has_request_context():
        pipeline.note(
            record_ids=[r.record_id for r in results if r.outcome == "ok" and r.record_id]
        )


def _run_query(store: OrgStore, job: Job) -> None:
    caller = job_caller(store, job.created_by, job.api_version)
    columns, rows, _ = query.run(caller, job.query or "", job.operation == "queryAll")
    job.query_columns = columns.paths
    job.query_rows = [
        [csvdata.csv_value(value, kind) for value, kind in zip(row, columns.types, strict=True)]
        for row in rows
    ]
    job.records_processed = len(rows)
    job.state = "JobComplete"


def queue(store: OrgStore, job: Job) -> Job:
    """``UploadComplete``: the job waits for its turn (at once, with the default settings)."""
    if job.state != "Open":
        raise InvalidJobState(
            f"Only an Open job can be set to UploadComplete; this job is {job.state}"
        )
    if limits.bulk_batches_remaining(store) <= 0:
        raise ExceededQuota("DailyBulkApiBatches limit exceeded")
    job.state = "UploadComplete"
    job.ready_at = store.now_text()
    touch(store, job)
    save_job(store, job)
    return job


def abort(store: OrgStore, job: Job) -> Job:
    allowed = ("UploadComplete", "InProgress") if job.is_query else ("Open", *PENDING)
    if job.state not in allowed or (job.processed and job.state != "InProgress"):
        done = {"JobComplete": "Completed"}.get(job.state, job.state)
        raise InvalidJobState(f"Aborting already {done} Job not allowed")
    job.state = "Aborted"
    if not job.processed and not job.is_query:
        ingest.fail(job, "")
        job.state, job.error_message = "Aborted", None
    job.processed = True
    touch(store, job)
    save_job(store, job)
    return job


def check_deletable(job: Job) -> None:
    terminal = ("JobComplete", "Aborted", "Failed")
    allowed = terminal if job.is_query else ("UploadComplete", *terminal)
    if job.state not in allowed:
        raise ApiError("Error encountered when deleting the job because the job is not terminated")


def hold(store: OrgStore, job: Job, held: bool) -> Job:
    """The control plane's hold / release of a Bulk 2.0 job."""
    job.held = held
    save_job(store, job)
    return advance(store, job)


def fail(store: OrgStore, job: Job, message: str) -> Job:
    """The control plane fails a job that has not finished: its rows stay unprocessed."""
    if job.processed or job.state not in ("Open", *PENDING):
        raise InvalidJobState(f"Job {job.id} is {job.state}; only an unfinished job can fail")
    ingest.fail(job, message)
    job.processed = True
    touch(store, job)
    save_job(store, job)
    return job
