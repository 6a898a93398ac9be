"""Bulk API 2.0 ingest jobs: create, upload CSV, run the rows, report the results.

A job is created ``Open``; each ``PUT .../batches`` adds CSV data (a later upload must repeat
the first one's header); ``UploadComplete`` queues it and ``state.py`` runs it on the org's clock.
Results (Bulk API 2.0 guide, "Get Job Successful/Failed/Unprocessed Record Results") repeat the
uploaded header after ``"sf__Id","sf__Created"`` or ``"sf__Id","sf__Error"``, every value quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from ..records.context import Caller, readable_object
from ..records.reads import external_id_field
from ..store import OrgStore
from . import csvdata
from .errors import ClientInputError, InvalidJob, InvalidJobState
from .jobs import JOB_PREFIX, V2_INGEST, Job, RowResult
from .rows import DML_OPERATIONS, RowRun, in_chunks, job_caller

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def create_job(caller: Caller, spec: Any, kind: str = V2_INGEST) -> Job:
    """A new ``Open`` job from the create body, checked the way Salesforce checks it."""
    if not isinstance(spec, Mapping):
        raise InvalidJob("The request body must be a JSON object describing the job")
    operation = str(spec.get("operation") or "")
    if operation not in DML_OPERATIONS:
        raise InvalidJob(f"Invalid operation: {operation or 'none given'}")
    obj = _job_object(caller, spec.get("object"))
    external = _external_id(caller, obj.name, operation, spec.get("externalIdFieldName"))
    if operation == "hardDelete" and not caller.perms.has("BulkApiHardDelete"):
        raise InvalidJob("hardDelete requires the Bulk API Hard Delete permission")
    store = caller.store
    now = store.now_text()
    return Job(
        id=store.new_id(JOB_PREFIX),
        kind=kind,
        operation=operation,
        object=obj.name,
        created_by=caller.user_id,
        created_date=now,
        system_modstamp=now,
        state="Open",
        api_version=caller.version,
        content_type=_choice(spec, "contentType", "CSV", ("CSV",)),
        column_delimiter=_choice(spec, "columnDelimiter", "COMMA", tuple(csvdata.DELIMITERS)),
        line_ending=_choice(spec, "lineEnding", "LF", tuple(csvdata.LINE_ENDINGS)),
        external_id_field=external,
        assignment_rule_id=spec.get("assignmentRuleId") or None,
        held=bool(store.setting("bulk_hold", False)),
    )


def _job_object(caller: Caller, name: Any) -> Any:
    if not name or not isinstance(name, str):
        raise InvalidJob("object is required")
    try:
        return readable_object(caller, name)
    except errors.NotFound:
        raise InvalidJob(f"Unable to find object: {name}") from None


def _external_id(caller: Caller, sobject: str, operation: str, name: Any) -> str | None:
    if operation != "upsert":
        if name:
            raise InvalidJob("External ID field can only be set for upsert")
        return None
    if not name or not isinstance(name, str):
        raise InvalidJob("External ID was blank for " + sobject)
    obj = readable_object(caller, sobject)
    try:
        return external_id_field(caller, obj, name).name
    except errors.NotFound:
        raise InvalidJob(
            f"Field name provided, {name} does not match an External ID, "
            f"Salesforce Id, or indexed field for {sobject}"
        ) from None


def _choice(spec: Mapping[str, Any], key: str, default: str, allowed: tuple[str, ...]) -> str:
    value = spec.get(key) or default
    if value not in allowed:
        raise InvalidJob(f"Invalid {key}: {value}. Allowed: {', '.join(allowed)}")
    return str(value)


def upload(job: Job, data: bytes) -> None:
    """One ``PUT .../batches``: CSV added to an ``Open`` job (a later one repeats the header)."""
    if job.state != "Open":
        raise InvalidJobState(f"Data can only be uploaded to an Open job; this job is {job.state}")
    total = sum(len(u.encode()) for u in job.uploads) + len(data)
    if total > MAX_UPLOAD_BYTES:
        raise ClientInputError("Upload exceeds the 100 MB limit of a job")
    text = data.decode("utf-8", errors="replace")
    try:
        rows = csvdata.read_rows(text, job.column_delimiter)
    except csvdata.InvalidBatch as problem:
        raise ClientInputError(f"{problem.message}") from None
    if not rows:
        return  # an empty upload adds nothing (jsforce uploads nothing for an empty load)
    if job.uploads and job.header and [h.strip() for h in rows[0]] != job.header:
        raise ClientInputError("Every upload of a job must have the header of the first one")
    job.header = job.header or [h.strip() for h in rows[0]]
    job.uploads.append(text)


def data_rows(job: Job) -> list[list[str]]:
    """Every data row of every upload, header rows left out."""
    rows: list[list[str]] = []
    for text in job.uploads:
        rows.extend(csvdata.read_rows(text, job.column_delimiter)[1:])
    return rows


def process(store: OrgStore, job: Job, api: str = "bulk2") -> None:
    """Run every row as the job's creator; a bad header fails the job, a bad row only itself."""
    caller = job_caller(store, job.created_by, job.api_version)
    rows = data_rows(job)
    try:
        obj = readable_object(caller, job.object)
        columns = _columns(caller, obj, job)
    except (csvdata.InvalidBatch, errors.SalesforceError) as problem:
        message = getattr(problem, "state_message", None) or getattr(problem, "message", "")
        fail(job, str(message), rows)
        return
    run = RowRun(caller, obj, job.operation, job.external_id_field, api, job.id)
    results = in_chunks(store, len(rows), lambda i: _row(run, columns, i + 1, rows[i]))
    job.results = [vars(r) for r in results]
    job.records_processed = len(results)
    job.records_failed = sum(1 for r in results if r.outcome == "error")
    job.state = "JobComplete"


def _columns(caller: Caller, obj: Any, job: Job) -> list[csvdata.Column]:
    if not job.header:
        return []
    columns = csvdata.resolve_header(obj, job.header, caller.perms.can_read_field)
    if job.operation in ("delete", "hardDelete") and [c.name.lower() for c in columns] != ["id"]:
        raise csvdata.InvalidBatch(f"The '{job.operation}' batch must contain only ids")
    return columns


def _row(run: RowRun, columns: list[csvdata.Column], number: int, row: list[str]) -> RowResult:
    if len(row) != len(columns):
        result = RowResult(
            "error",
            status_code="INVALID_INPUT",
            message=f"Wrong number of columns: expected {len(columns)}, found {len(row)}",
        )
    else:
        try:
            result = run.execute(number, csvdata.record_from_row(columns, row))
        except csvdata.ValueProblem as problem:
            result = RowResult(
                "error",
                status_code="INVALID_FIELD",
                message=problem.message,
                fields=[problem.fdef.name],
            )
    result.values = list(row)
    return result


def fail(job: Job, message: str, rows: list[list[str]] | None = None) -> None:
    """The job fails as a whole; rows not yet run are left unprocessed."""
    job.state = "Failed"
    job.error_message = message
    done = len(job.results)
    pending = (rows if rows is not None else data_rows(job))[done:]
    job.results.extend(vars(RowResult("unprocessed", values=list(r))) for r in pending)


def results_csv(job: Job, kind: str) -> str:
    """``successfulResults``, ``failedResults`` or ``unprocessedrecords``, as Salesforce
    writes them."""
    delimiter, line = job.column_delimiter, job.line_ending
    header = csvdata.plain_header(job.header, delimiter) if job.header else ""
    sep = csvdata.DELIMITERS[delimiter]
    ending = csvdata.LINE_ENDINGS[line]
    results = job.row_results()
    rows: list[list[Any]]
    if kind == "successful":
        rows = [[r.record_id, _flag(r.created), *r.values] for r in results if r.outcome == "ok"]
        lead = f'"sf__Id"{sep}"sf__Created"'
    elif kind == "failed":
        rows = [[r.record_id, r.error_text(), *r.values] for r in results if r.outcome == "error"]
        lead = f'"sf__Id"{sep}"sf__Error"'
    else:
        rows = [r.values for r in results if r.outcome == "unprocessed"]
        if not job.processed:
            rows = data_rows(job)
        return (header + ending if header else "") + csvdata.write_rows(rows, delimiter, line)
    first = lead + (sep + header if header else "") + ending
    return first + csvdata.write_rows(rows, delimiter, line)


def _flag(value: bool) -> str:
    return "true" if value else "false"
