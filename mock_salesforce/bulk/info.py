"""JobInfo as Bulk API 2.0 answers it (Bulk API 2.0 guide, "Get Information About an Ingest
Job" / "... a Query Job"). Every answer (create, PATCH, GET) carries the whole JobInfo, with
``createdDate`` and ``systemModstamp`` (aiosalesforce parses both from every answer); the
counters are present from the start (simple-salesforce reads ``numberRecordsFailed``).
"""

from __future__ import annotations

from typing import Any

from .jobs import CLASSIC, V2_QUERY, Job


def job_info(job: Job, counters: bool = True) -> dict[str, Any]:
    """The JobInfo of a Bulk 2.0 job (or of a Bulk 1.0 job in a Bulk 2.0 list)."""
    body: dict[str, Any] = {
        "id": job.id,
        "operation": job.operation,
        "object": job.object,
        "createdById": job.created_by,
        "createdDate": job.created_date,
        "systemModstamp": job.system_modstamp,
        "state": job.state,
    }
    if job.external_id_field:
        body["externalIdFieldName"] = job.external_id_field
    if job.assignment_rule_id:
        body["assignmentRuleId"] = job.assignment_rule_id
    body.update(
        concurrencyMode=job.concurrency_mode,
        contentType=job.content_type,
        apiVersion=float(job.api_version),
        jobType=job.kind,
    )
    if job.state == "Open" and job.kind != CLASSIC and job.kind != V2_QUERY:
        body["contentUrl"] = f"services/data/v{job.api_version}/jobs/ingest/{job.id}/batches"
    body.update(lineEnding=job.line_ending, columnDelimiter=job.column_delimiter)
    if counters:
        body["numberRecordsProcessed"] = job.records_processed
        if job.kind != V2_QUERY:
            body["numberRecordsFailed"] = job.records_failed
        body.update(
            retries=0, totalProcessingTime=0, apiActiveProcessingTime=0, apexProcessingTime=0
        )
    if job.error_message:
        body["errorMessage"] = job.error_message
    return body
