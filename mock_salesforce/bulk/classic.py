"""Bulk API 1.0 jobs and batches (Bulk API Developer Guide, "Jobs", "Batches", "Bulk Query").

A job is ``Open`` until closed or aborted; each batch is queued and runs on the org's clock (at
once by default) whether or not the job is closed, as in Salesforce. A batch holds CSV, a JSON
array or ``<sObjects>`` XML (a query job's batch holds the SOQL). Rows run through ``rows.py``;
a bad header fails the batch with ``InvalidBatch : ...`` in ``stateMessage``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import errors
from ..errors import SalesforceError
from ..pipeline import limits, safejson
from ..records.context import Caller, readable_object
from ..records.reads import external_id_field
from ..store import OrgStore
from . import classic_format, csvdata, query, state
from .errors import (
    ClientInputError,
    ExceededQuota,
    FeatureNotEnabled,
    InvalidBatch,
    InvalidJob,
    InvalidJobState,
)
from .jobs import (
    BATCH_PREFIX,
    CLASSIC,
    JOB_PREFIX,
    RESULT_PREFIX,
    Batch,
    Job,
    RowResult,
    job_batches,
    load_job,
    save_batch,
    save_job,
)
from .rows import DML_OPERATIONS, RowRun, in_chunks, job_caller

OPERATIONS = (*DML_OPERATIONS, "query", "queryAll")
CONTENT_TYPES = ("CSV", "JSON", "XML")
MAX_BATCH_RECORDS = 10000
_MODES = {"Parallel": "Parallel", "Serial": "Serial", "0": "Parallel", "1": "Serial"}


def create_job(caller: Caller, spec: Mapping[str, Any]) -> Job:
    """A new ``Open`` job; the operation is case-sensitive (``INSERT`` is refused)."""
    fields = _checked_spec(caller, spec)
    store = caller.store
    now = store.now_text()
    return Job(
        id=store.new_id(JOB_PREFIX),
        kind=CLASSIC,
        created_by=caller.user_id,
        created_date=now,
        system_modstamp=now,
        state="Open",
        api_version=caller.version,
        assignment_rule_id=spec.get("assignmentRuleId") or None,
        held=bool(store.setting("bulk_hold", False)),
        **fields,
    )


def _checked_spec(caller: Caller, spec: Mapping[str, Any]) -> dict[str, Any]:
    """The job's operation, object, content type, mode and external id, each checked."""
    operation = str(spec.get("operation") or "")
    if operation not in OPERATIONS:
        raise InvalidJob(f"Invalid operation: {operation or 'none given'}")
    name = str(spec.get("object") or "")
    try:
        obj = readable_object(caller, name)
    except errors.NotFound:
        raise InvalidJob(f"Unable to find object: {name}") from None
    content = str(spec.get("contentType") or "XML")
    if content.startswith("ZIP_"):
        raise FeatureNotEnabled(f"{content} batches are not supported by the mock")
    if content not in CONTENT_TYPES:
        raise InvalidJob(f"Invalid content type: {content}")
    mode = _MODES.get(str(spec.get("concurrencyMode", "Parallel")))
    if mode is None:
        raise InvalidJob(f"Invalid concurrency mode: {spec.get('concurrencyMode')}")
    if operation == "hardDelete" and not caller.perms.has("BulkApiHardDelete"):
        raise InvalidJob("hardDelete requires the Bulk API Hard Delete permission")
    return {
        "operation": operation,
        "object": obj.name,
        "content_type": content,
        "concurrency_mode": mode,
        "external_id_field": _external(
            caller, obj.name, operation, spec.get("externalIdFieldName")
        ),
    }


def _external(caller: Caller, sobject: str, operation: str, name: Any) -> str | None:
    if operation != "upsert":
        if name:
            raise InvalidJob("External ID field can only be set for upsert")
        return None
    if not name:
        raise InvalidJob(f"External ID was blank for {sobject}")
    obj = readable_object(caller, sobject)
    try:
        return external_id_field(caller, obj, str(name)).name
    except errors.NotFound:
        raise InvalidJob(
            f"Field name provided, {name} does not match an External ID, Salesforce Id, or "
            f"indexed field for {sobject}"
        ) from None


def change_state(store: OrgStore, job: Job, wanted: Any) -> Job:
    """``Closed`` (only an open job) or ``Aborted`` (queued batches become NotProcessed)."""
    if wanted == "Closed" and job.state == "Open":
        job.state = "Closed"
    elif wanted == "Aborted" and job.state in ("Open", "Closed"):
        job.state = "Aborted"
        for batch in job_batches(store, job.id):
            if batch.state in ("Queued", "InProgress"):
                batch.state = "NotProcessed"
                save_batch(store, batch)
    elif wanted in ("Closed", "Aborted"):
        raise InvalidJobState(f"Job {job.id} is {job.state}; it cannot be {wanted}")
    else:
        raise InvalidJob(f"Invalid state: {wanted}")
    state.touch(store, job)
    save_job(store, job)
    return job


def add_batch(store: OrgStore, job: Job, data: bytes) -> Batch:
    """A queued batch of records (or a query's SOQL); its shape is checked now."""
    if job.state != "Open":
        raise InvalidJobState(f"Job {job.id} is {job.state}; batches can only be added when Open")
    if limits.bulk_batches_remaining(store) <= 0:
        raise ExceededQuota("DailyBulkApiBatches limit exceeded")
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise ClientInputError("The batch is empty")
    if not job.is_query:
        _check_shape(job, text)
    now = store.now_text()
    batch = Batch(
        id=store.new_id(BATCH_PREFIX),
        job_id=job.id,
        seq=len(job_batches(store, job.id)),
        state="Queued",
        created_date=now,
        system_modstamp=now,
        content=text,
        content_type=job.content_type,
        ready_at=now,
    )
    save_batch(store, batch)
    return batch


def _check_shape(job: Job, text: str) -> None:
    if job.content_type == "JSON":
        try:
            parsed = safejson.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidBatch(f"Unable to parse JSON: {exc.msg}") from None
        except safejson.JsonRefused as exc:
            raise InvalidBatch(f"Unable to parse JSON: {exc}") from None
        if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
            raise InvalidBatch("Records not processed")
        count = len(parsed)
    elif job.content_type == "XML":
        count = len(classic_format.xml_records(text))
    else:
        try:
            count = max(0, len(csvdata.read_rows(text)) - 1)
        except csvdata.InvalidBatch as problem:
            raise InvalidBatch(problem.message) from None
    if count == 0:
        raise ClientInputError("The batch has no records")
    if count > MAX_BATCH_RECORDS:
        raise InvalidBatch(f"Exceeded max size limit of {MAX_BATCH_RECORDS} records")


def advance_batches(store: OrgStore, job: Job) -> None:
    """Run the job's due batches (a held job keeps them InProgress)."""
    for batch in job_batches(store, job.id):
        if batch.state not in ("Queued", "InProgress"):
            continue
        if job.held or not state.is_due(store, batch.ready_at):
            if job.held and batch.state != "InProgress":
                batch.state = "InProgress"
                save_batch(store, batch)
            continue
        with state.claim(store, batch.id) as mine:
            if mine:
                _run_batch(store, job, batch)


def _run_batch(store: OrgStore, job: Job, batch: Batch) -> None:
    caller = job_caller(store, job.created_by, job.api_version)
    try:
        if job.is_query:
            _run_query(caller, job, batch)
        else:
            _run_rows(caller, job, batch)
        batch.state = "Completed"
    except csvdata.InvalidBatch as problem:
        batch.state, batch.state_message = "Failed", problem.state_message
    except SalesforceError as exc:
        batch.state, batch.state_message = "Failed", f"{exc.error_code} : {exc.message}"
    batch.system_modstamp = store.now_text()
    save_batch(store, batch)
    latest = load_job(store, job.id)
    if latest is not None:
        latest.records_processed += batch.records_processed
        latest.records_failed += batch.records_failed
        save_job(store, latest)


def _run_query(caller: Caller, job: Job, batch: Batch) -> None:
    columns, rows, records = query.run(caller, batch.content.strip(), job.operation == "queryAll")
    batch.query_columns, batch.query_types = columns.paths, [t or "" for t in columns.types]
    if job.content_type == "CSV":
        batch.query_rows = [
            [csvdata.csv_value(v, t) for v, t in zip(row, columns.types, strict=True)]
            for row in rows
        ]
    else:
        batch.query_rows = [[record] for record in records]
    batch.result_ids = [caller.store.new_id(RESULT_PREFIX)[:15]]
    batch.records_processed = len(rows)


def _run_rows(caller: Caller, job: Job, batch: Batch) -> None:
    obj = readable_object(caller, job.object)
    run = RowRun(caller, obj, job.operation, job.external_id_field, "bulk", job.id)
    start = _rows_before(caller.store, job, batch)
    records = _records(caller, job, batch)

    def run_one(index: int) -> RowResult:
        record = records[index]
        return record if isinstance(record, RowResult) else run.execute(start + index + 1, record)

    results = in_chunks(caller.store, len(records), run_one)
    state.note_rows(results)
    batch.results = [vars(r) for r in results]
    batch.records_processed = len(results)
    batch.records_failed = sum(1 for r in results if r.outcome == "error")


def _rows_before(store: OrgStore, job: Job, batch: Batch) -> int:
    return sum(len(b.results) for b in job_batches(store, job.id) if b.seq < batch.seq)


def _records(caller: Caller, job: Job, batch: Batch) -> list[dict[str, Any] | RowResult]:
    obj = readable_object(caller, job.object)
    if job.content_type == "JSON":
        return [dict(r) for r in json.loads(batch.content)]
    if job.content_type == "XML":
        return classic_format.typed_xml_records(obj, batch.content)
    rows = csvdata.read_rows(batch.content)
    columns = csvdata.resolve_header(obj, rows[0], caller.perms.can_read_field)
    records: list[dict[str, Any] | RowResult] = []
    for row in rows[1:]:
        try:
            records.append(csvdata.record_from_row(columns, row))
        except csvdata.ValueProblem as problem:
            records.append(RowResult.invalid_value(problem.message, problem.fdef.name))
    return records


def hold(store: OrgStore, job: Job, held: bool) -> Job:
    job.held = held
    save_job(store, job)
    advance_batches(store, job)
    return load_job(store, job.id) or job


def fail(store: OrgStore, job: Job, message: str) -> Job:
    """The control plane fails the job's unfinished batches (and the job)."""
    for batch in job_batches(store, job.id):
        if batch.state in ("Queued", "InProgress"):
            batch.state, batch.state_message = "Failed", message
            save_batch(store, batch)
    job.state = "Failed"
    state.touch(store, job)
    save_job(store, job)
    return job
