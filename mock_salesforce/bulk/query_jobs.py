"""Bulk API 2.0 query jobs and the job lists.

A query job is created ``UploadComplete`` with ``object`` taken from the FROM clause; its rows
are read with ``GET .../results``, paged by ``maxRecords`` and ``locator``: each page says how
many rows it holds (``Sforce-NumberOfRecords``) and where the next starts (``Sforce-Locator``,
the literal ``null`` on the last page). Results must be read with the job's API version (409)
and only once it is ``JobComplete`` (412 ``JOB_NOT_COMPLETE``) (Bulk API 2.0 guide, "Get Results
for a Query Job").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..pipeline import limits
from ..records.context import Caller
from . import csvdata, query
from .errors import ClientInputError, ExceededQuota, InvalidJob, JobNotComplete, VersionMismatch
from .info import job_info
from .jobs import JOB_PREFIX, V2_QUERY, Job

DEFAULT_PAGE = 50000
LIST_PAGE = 1000
_STATUS = {
    "UploadComplete": "UPLOAD_COMPLETE",
    "InProgress": "IN_PROGRESS",
    "Aborted": "ABORTED",
    "Failed": "FAILED",
}


def create_job(caller: Caller, spec: Any) -> Job:
    """A query job, its SOQL checked now (a bad query answers 400 with the REST error)."""
    if not isinstance(spec, Mapping):
        raise InvalidJob("The request body must be a JSON object describing the job")
    operation = spec.get("operation")
    if operation not in ("query", "queryAll"):
        raise InvalidJob(f"Invalid operation for a query job: {operation}")
    store = caller.store
    if limits.bulk_query_jobs_remaining(store) <= 0:
        raise ExceededQuota("DailyBulkV2QueryJobs limit exceeded")
    soql = str(spec.get("query") or "")
    columns = query.check(caller, soql)
    now = store.now_text()
    delimiter, line = _csv_format(spec)
    return Job(
        id=store.new_id(JOB_PREFIX),
        kind=V2_QUERY,
        operation=str(operation),
        object=columns.sobject,
        created_by=caller.user_id,
        created_date=now,
        system_modstamp=now,
        state="UploadComplete",
        api_version=caller.version,
        column_delimiter=delimiter,
        line_ending=line,
        query=soql,
        ready_at=now,
        held=bool(store.setting("bulk_hold", False)),
    )


def _csv_format(spec: Mapping[str, Any]) -> tuple[str, str]:
    delimiter = str(spec.get("columnDelimiter") or "COMMA")
    line = str(spec.get("lineEnding") or "LF")
    if delimiter not in csvdata.DELIMITERS or line not in csvdata.LINE_ENDINGS:
        raise InvalidJob("Invalid columnDelimiter or lineEnding")
    return delimiter, line


@dataclass(frozen=True)
class Page:
    text: str
    count: int
    next_locator: str


def results_page(job: Job, version: str, locator: str | None, args: Mapping[str, str]) -> Page:
    """One page of a finished query job's rows as CSV."""
    if version != job.api_version:
        raise VersionMismatch(
            f"The job was created with API version {job.api_version}; read its results with "
            "the same version"
        )
    if job.state != "JobComplete":
        raise JobNotComplete(
            "can only download query results of successfully completed bulk job with status: "
            f"JOB_COMPLETE. Current status: {_STATUS.get(job.state, job.state)}"
        )
    start = 0 if not locator or locator == "null" else query.decode_locator(locator)
    if start is None:
        raise ClientInputError(f"Invalid locator: {locator}")
    size = _page_size(args.get("maxRecords"))
    rows = job.query_rows[start : start + size]
    end = start + len(rows)
    header = csvdata.write_rows([job.query_columns], job.column_delimiter, job.line_ending)
    body = header + csvdata.write_rows(rows, job.column_delimiter, job.line_ending)
    more = end < len(job.query_rows)
    return Page(body, len(rows), query.encode_locator(end) if more else "null")


def _page_size(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PAGE
    if not raw.isdigit() or int(raw) < 1:
        raise ClientInputError(f"maxRecords must be a positive integer: {raw}")
    return int(raw)


def job_list(
    jobs: list[Job], version: str, args: Mapping[str, str], resource: str
) -> dict[str, Any]:
    """``GET /jobs/ingest`` or ``/jobs/query``: up to 1,000 jobs, ``nextRecordsUrl`` after."""
    wanted_type = args.get("jobType")
    mode = args.get("concurrencyMode")
    chosen = [
        j
        for j in jobs
        if (not wanted_type or j.kind == wanted_type) and (not mode or j.concurrency_mode == mode)
    ]
    start = query.decode_locator(args.get("queryLocator") or "") or 0
    page = chosen[start : start + LIST_PAGE]
    body: dict[str, Any] = {
        "done": start + len(page) >= len(chosen),
        "records": [job_info(j, counters=False) for j in page],
    }
    if not body["done"]:
        locator = query.encode_locator(start + len(page))
        # The docs show the ingest path even for the query list; the mock points at the list
        # being read, so a client following it gets the next page of the same list.
        body["nextRecordsUrl"] = f"/services/data/v{version}/jobs/{resource}?queryLocator={locator}"
    return body
