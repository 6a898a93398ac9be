"""Bulk API 1.0 documents: JobInfo, BatchInfo, results and errors in XML or JSON.

XML lives in the ``http://www.force.com/2009/06/asyncapi/dataload`` namespace and its root
elements matter (jsforce reads ``jobInfo``, ``batchInfo``, ``batchInfoList``, ``result-list``).
JSON jobs answer JSON with the same keys, dates as ``...000+0000`` where XML writes ``...000Z``;
JSON query results carry ``attributes`` and write dates and datetimes as epoch milliseconds
(simple-salesforce#290 captures).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from ..pipeline import safejson
from ..schema import ObjectDef
from ..schema.values import parse_datetime
from . import csvdata
from .errors import InvalidBatch, InvalidJob
from .jobs import Batch, Job, RowResult

NS = "http://www.force.com/2009/06/asyncapi/dataload"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _parse_xml(text: str) -> ET.Element:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InvalidBatch("DOCTYPE is not allowed")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise InvalidBatch(f"Unable to parse XML: {exc}") from None


def parse_job_spec(body: bytes, is_json: bool) -> dict[str, Any]:
    """The fields of a JobInfo request body (JSON object or ``<jobInfo>`` XML)."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise InvalidJob("The request body is empty")
    if is_json:
        try:
            spec = safejson.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidJob(f"Unable to parse JSON: {exc.msg}") from None
        except safejson.JsonRefused as exc:
            raise InvalidJob(f"Unable to parse JSON: {exc}") from None
        if not isinstance(spec, dict):
            raise InvalidJob("The job must be a JSON object")
        return spec
    root = _parse_xml(text)
    if _local(root.tag) != "jobInfo":
        raise InvalidJob(f"Unexpected element {_local(root.tag)}; expected jobInfo")
    return {_local(child.tag): (child.text or "").strip() for child in root}


def xml_records(text: str) -> list[ET.Element]:
    root = _parse_xml(text)
    if _local(root.tag) != "sObjects":
        raise InvalidBatch(f"Unexpected element {_local(root.tag)}; expected sObjects")
    return [child for child in root if _local(child.tag) == "sObject"]


def typed_xml_records(obj: ObjectDef, text: str) -> list[dict[str, Any] | RowResult]:
    """Write bodies from ``<sObject>`` elements (``xsi:nil="true"`` is null)."""
    records: list[dict[str, Any] | RowResult] = []
    for element in xml_records(text):
        record: dict[str, Any] = {}
        try:
            for index, child in enumerate(element):
                record[_local(child.tag)] = _xml_value(obj, child, index)
        except csvdata.ValueProblem as problem:
            records.append(RowResult.invalid_value(problem.message, problem.fdef.name))
            continue
        records.append(record)
    return records


def _xml_value(obj: ObjectDef, child: ET.Element, index: int) -> Any:
    if child.get(f"{{{XSI}}}nil") == "true":
        return None
    if len(child):
        parent: dict[str, Any] = {_local(c.tag): (c.text or "") for c in child}
        kind = parent.pop("type", None)
        if kind:
            parent["attributes"] = {"type": kind}
        return parent
    raw = child.text or ""
    fdef = obj.field(_local(child.tag))
    return csvdata.typed(fdef, raw, index) if fdef is not None else raw


def job_fields(job: Job, batches: Sequence[Batch], json_dates: bool) -> dict[str, Any]:
    """JobInfo keys in the order the guide shows them."""
    counts = {s: sum(1 for b in batches if b.state == s) for s in ("Queued", "InProgress")}
    done = sum(1 for b in batches if b.state == "Completed")
    failed = sum(1 for b in batches if b.state in ("Failed", "NotProcessed"))
    body: dict[str, Any] = {
        "id": job.id,
        "operation": job.operation,
        "object": job.object,
        "createdById": job.created_by,
        "createdDate": _date(job.created_date, json_dates),
        "systemModstamp": _date(job.system_modstamp, json_dates),
        "state": job.state,
    }
    if job.external_id_field:
        body["externalIdFieldName"] = job.external_id_field
    body.update(
        concurrencyMode=job.concurrency_mode,
        contentType=job.content_type,
        numberBatchesQueued=counts["Queued"],
        numberBatchesInProgress=counts["InProgress"],
        numberBatchesCompleted=done,
        numberBatchesFailed=failed,
        numberBatchesTotal=len(batches),
        numberRecordsProcessed=job.records_processed,
        numberRetries=0,
        apiVersion=float(job.api_version),
        numberRecordsFailed=job.records_failed,
        totalProcessingTime=0,
        apiActiveProcessingTime=0,
        apexProcessingTime=0,
    )
    return body


def batch_fields(batch: Batch, json_dates: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"id": batch.id, "jobId": batch.job_id, "state": batch.state}
    if batch.state_message:
        body["stateMessage"] = batch.state_message
    body.update(
        createdDate=_date(batch.created_date, json_dates),
        systemModstamp=_date(batch.system_modstamp, json_dates),
        numberRecordsProcessed=batch.records_processed,
        numberRecordsFailed=batch.records_failed,
        totalProcessingTime=0,
        apiActiveProcessingTime=0,
        apexProcessingTime=0,
    )
    return body


def _date(stored: str, json_dates: bool) -> str:
    return stored if json_dates else stored.replace("+0000", "Z")


def xml_document(root: str, fields: Mapping[str, Any]) -> str:
    return f'{XML_DECL}<{root} xmlns="{NS}">{_xml_fields(fields)}</{root}>'


def _xml_fields(fields: Mapping[str, Any]) -> str:
    return "".join(f"<{k}>{_xml_text(v)}</{k}>" for k, v in fields.items())


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def batch_list_xml(batches: Sequence[Mapping[str, Any]]) -> str:
    inner = "".join(f"<batchInfo>{_xml_fields(b)}</batchInfo>" for b in batches)
    return f'{XML_DECL}<batchInfoList xmlns="{NS}">{inner}</batchInfoList>'


def error_document(code: str, message: str, as_json: bool) -> str:
    if as_json:
        return json.dumps({"exceptionCode": code, "exceptionMessage": message})
    fields = {"exceptionCode": code, "exceptionMessage": message}
    return xml_document("error", fields)


def results_csv(results: Sequence[RowResult]) -> str:
    rows: list[list[Any]] = [["Id", "Success", "Created", "Error"]]
    for r in results:
        ok = r.outcome == "ok"
        error = "" if ok else r.error_text()
        rows.append([r.record_id or "", _flag(ok), _flag(r.created and ok), error])
    return csvdata.write_rows(rows)


def results_json(results: Sequence[RowResult]) -> list[dict[str, Any]]:
    return [
        {
            "success": r.outcome == "ok",
            "created": r.created and r.outcome == "ok",
            "id": r.record_id,
            "errors": []
            if r.outcome == "ok"
            else [{"statusCode": r.status_code, "message": r.message, "fields": r.fields}],
        }
        for r in results
    ]


def results_xml(results: Sequence[RowResult]) -> str:
    parts = []
    for r in results:
        ok = r.outcome == "ok"
        ident = f"<id>{r.record_id}</id>" if r.record_id else '<id xsi:nil="true"/>'
        errors = ""
        if not ok:
            named = "".join(f"<fields>{escape(f)}</fields>" for f in r.fields)
            errors = (
                f"<errors>{named}<message>{escape(r.message or '')}</message>"
                f"<statusCode>{r.status_code}</statusCode></errors>"
            )
        created = _flag(r.created and ok)
        parts.append(
            f"<result>{errors}{ident}<success>{_flag(ok)}</success>"
            f"<created>{created}</created></result>"
        )
    return f'{XML_DECL}<results xmlns="{NS}" xmlns:xsi="{XSI}">{"".join(parts)}</results>'


def _flag(value: bool) -> str:
    return "true" if value else "false"


def result_list_xml(result_ids: Sequence[str]) -> str:
    inner = "".join(f"<result>{i}</result>" for i in result_ids)
    return f'{XML_DECL}<result-list xmlns="{NS}">{inner}</result-list>'


def query_json(batch: Batch) -> list[dict[str, Any]]:
    """Records with ``attributes``; dates and datetimes as epoch milliseconds."""
    types = {p.lower(): t for p, t in zip(batch.query_columns, batch.query_types, strict=True)}
    return [_epochs(row[0], "", types) for row in batch.query_rows]


def _epochs(record: dict[str, Any], prefix: str, types: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        path = f"{prefix}{key}".lower()
        if isinstance(value, dict) and key != "attributes":
            out[key] = _epochs(value, path + ".", types)
        elif isinstance(value, str) and types.get(path) in ("Datetime", "Date"):
            out[key] = _epoch_ms(value)
        else:
            out[key] = value
    return out


def _epoch_ms(text: str) -> int:
    if len(text) == 10:
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    else:
        moment = parse_datetime(text)
    return int(moment.timestamp() * 1000)


def query_xml(batch: Batch) -> str:
    records = "".join(_record_xml("records", row[0]) for row in batch.query_rows)
    return f'{XML_DECL}<queryResult xmlns="{NS}" xmlns:xsi="{XSI}">{records}</queryResult>'


def _record_xml(tag: str, record: Mapping[str, Any]) -> str:
    kind = (record.get("attributes") or {}).get("type", "")
    inner = [f"<type>{kind}</type>"]
    for key, value in record.items():
        if key == "attributes":
            continue
        if value is None:
            inner.append(f'<{key} xsi:nil="true"/>')
        elif isinstance(value, dict):
            inner.append(_record_xml(key, value))
        else:
            inner.append(f"<{key}>{_xml_text(value)}</{key}>")
    return f'<{tag} xsi:type="sObject">{"".join(inner)}</{tag}>'
