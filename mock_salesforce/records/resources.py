"""The sObject resources as functions from a call to a reply (status, body, headers).

The Flask views and the composite resource both go through these, so a subrequest of
``/composite`` answers exactly what the same call answers on its own. Each function tells the
journal which records it touched; the journal's operation is the view's name
(``create_record``, ``upsert_many``, ...), the same name faults match on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime as http_date
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from .. import errors, pipeline
from ..schema.values import parse_datetime
from . import collections, dml, reads
from .context import Caller, parse_flag
from .describe import describe_global, describe_sobject, schema_modified_at, sobject_basic
from .upsert import MultipleMatches, upsert


@dataclass
class Call:
    """One call to a resource: who, the URL's parts, query string, JSON body and headers."""

    caller: Caller
    args: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # True when ``headers`` already ignores letter case (an HTTP request's own headers).
    headers_any_case: bool = False

    def arg(self, name: str) -> str:
        return self.args[name]

    def header(self, name: str) -> str | None:
        """A request header, whatever its letter case."""
        value = self.headers.get(name)
        if value is not None or self.headers_any_case:
            return value
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _not_modified_since(call: Call, moment: datetime) -> bool:
    """True when ``If-Modified-Since`` is at or after ``moment`` (to the second)."""
    header = call.header("If-Modified-Since")
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    return since is not None and moment.replace(microsecond=0) <= since


def _saved(caller: Caller, sobject: str, record_id: str, status: int, **extra: Any) -> Reply:
    obj = caller.store.schema.object(sobject)
    url = caller.record_url(obj, record_id) if obj else ""
    body = {"id": record_id, "success": True, "errors": [], **extra}
    return Reply(status, body, {"Location": url})


# -- describe --------------------------------------------------------------------------------
def describe_global_reply(call: Call) -> Reply:
    changed = schema_modified_at(call.caller)
    if _not_modified_since(call, changed):
        return Reply(304)
    return Reply(200, describe_global(call.caller), {"Last-Modified": http_date(changed, True)})


def sobject_reply(call: Call) -> Reply:
    return Reply(200, sobject_basic(call.caller, call.arg("sobject")))


def describe_reply(call: Call) -> Reply:
    body = describe_sobject(call.caller, call.arg("sobject"))
    changed = schema_modified_at(call.caller)
    if _not_modified_since(call, changed):
        return Reply(304)
    return Reply(200, body, {"Last-Modified": http_date(changed, usegmt=True)})


# -- single records --------------------------------------------------------------------------
def create_reply(call: Call) -> Reply:
    record_id = dml.create(call.caller, call.arg("sobject"), call.body)
    pipeline.note(record_ids=[record_id])
    return created_reply(call.caller, call.arg("sobject"), record_id)


def created_reply(caller: Caller, sobject: str, record_id: str) -> Reply:
    """201 for a record just created: its id and ``Location``."""
    return _saved(caller, sobject, record_id, 201)


@lru_cache(maxsize=4096)  # a record read again is hashed once per change
def _etag(record_id: str, last_modified: str) -> str:
    return '"' + hashlib.sha1(f"{record_id}{last_modified}".encode()).hexdigest()[:24] + '--gzip"'


def retrieve_reply(call: Call) -> Reply:
    found = reads.retrieve(
        call.caller, call.arg("sobject"), call.arg("record_id"), call.query.get("fields")
    )
    pipeline.note(record_ids=[found.id])
    return found_reply(found, lambda modified: _not_modified_since(call, modified))


def found_reply(found: reads.FoundRecord, unchanged: Callable[[datetime], bool]) -> Reply:
    """A record read: 200 with its dates (``Last-Modified``, ``ETag``), or 304 when the
    caller's copy is ``unchanged`` since its last modification."""
    if not found.last_modified:
        return Reply(200, found.body)
    modified, last_modified = _modified(found.last_modified)
    if unchanged(modified):
        return Reply(304)
    headers = {"Last-Modified": last_modified, "ETag": _etag(found.id, found.last_modified)}
    return Reply(200, found.body, headers)


@lru_cache(maxsize=1024)  # many records share a LastModifiedDate (the same second)
def _modified(stored: str) -> tuple[datetime, str]:
    """A stored LastModifiedDate as a datetime and as the ``Last-Modified`` header's date."""
    modified = parse_datetime(stored)
    return modified, http_date(modified, usegmt=True)


def _check_preconditions(call: Call) -> None:
    """``If-Match`` (ETag) and ``If-Unmodified-Since`` on PATCH/DELETE: 412 when the record
    changed since (REST guide, "Conditional Requests")."""
    match, since = call.header("If-Match"), call.header("If-Unmodified-Since")
    if not match and not since:
        return
    found = reads.retrieve(call.caller, call.arg("sobject"), call.arg("record_id"), "Id")
    if match and match.strip() != "*":
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        if _etag(found.id, found.last_modified) not in tags:
            raise errors.PreconditionFailed()
    if since:
        try:
            limit = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return
        if parse_datetime(found.last_modified).replace(microsecond=0) > limit:
            raise errors.PreconditionFailed()


def update_reply(call: Call) -> Reply:
    _check_preconditions(call)
    record_id = dml.update(call.caller, call.arg("sobject"), call.arg("record_id"), call.body)
    pipeline.note(record_ids=[record_id])
    return Reply(204)


def delete_reply(call: Call) -> Reply:
    _check_preconditions(call)
    record_id = dml.delete(call.caller, call.arg("sobject"), call.arg("record_id"))
    pipeline.note(record_ids=[record_id])
    return Reply(204)


# -- external ids ----------------------------------------------------------------------------
def upsert_reply(call: Call) -> Reply:
    """201 created, 200 updated with ``created`` (v46+; 204 before), 300 on several matches."""
    caller = call.caller
    update_only = call.query.get("updateOnly", "").lower() == "true"
    try:
        result = upsert(
            caller,
            call.arg("sobject"),
            call.arg("field"),
            call.arg("value"),
            call.body,
            update_only,
        )
    except MultipleMatches as many:
        pipeline.note(record_ids=many.ids)
        return Reply(300, many.urls)
    pipeline.note(record_ids=[result.id])
    if not caller.at_least(46):
        return _saved(caller, call.arg("sobject"), result.id, 201) if result.created else Reply(204)
    status = 201 if result.created else 200
    return _saved(caller, call.arg("sobject"), result.id, status, created=result.created)


def retrieve_by_external_id_reply(call: Call) -> Reply:
    records = reads.retrieve_by_external_id(
        call.caller,
        call.arg("sobject"),
        call.arg("field"),
        call.arg("value"),
        call.query.get("fields"),
    )
    pipeline.note(record_ids=[r["Id"] for r in records if "Id" in r])
    if len(records) > 1:
        return Reply(300, [r["attributes"]["url"] for r in records])
    return Reply(200, records[0])


def delete_by_external_id_reply(call: Call) -> Reply:
    records = reads.retrieve_by_external_id(
        call.caller, call.arg("sobject"), call.arg("field"), call.arg("value"), "Id"
    )
    if len(records) > 1:
        return Reply(300, [r["attributes"]["url"] for r in records])
    return delete_reply(Call(call.caller, {**call.args, "record_id": records[0]["Id"]}))


# -- replication -----------------------------------------------------------------------------
def updated_reply(call: Call) -> Reply:
    body = reads.updated(
        call.caller, call.arg("sobject"), call.query.get("start"), call.query.get("end")
    )
    return Reply(200, body)


def deleted_reply(call: Call) -> Reply:
    body = reads.deleted(
        call.caller, call.arg("sobject"), call.query.get("start"), call.query.get("end")
    )
    return Reply(200, body)


# -- collections -----------------------------------------------------------------------------
def _collection(results: list[dict[str, Any]]) -> Reply:
    pipeline.note(record_ids=[r["id"] for r in results if r.get("id")])
    return Reply(200, results)


def create_many_reply(call: Call) -> Reply:
    return _collection(collections.create_many(call.caller, call.body))


def update_many_reply(call: Call) -> Reply:
    return _collection(collections.update_many(call.caller, call.body))


def upsert_many_reply(call: Call) -> Reply:
    results = collections.upsert_many(
        call.caller, call.arg("sobject"), call.arg("field"), call.body
    )
    return _collection(results)


def delete_many_reply(call: Call) -> Reply:
    all_or_none = parse_flag(call.query.get("allOrNone"), "allOrNone")
    return _collection(collections.delete_many(call.caller, call.query.get("ids"), all_or_none))


def retrieve_many_reply(call: Call) -> Reply:
    body = call.body if isinstance(call.body, Mapping) else {}
    id_list = body.get("ids", call.query.get("ids"))
    fields = body.get("fields", call.query.get("fields"))
    if "ids" in body:
        _string_list(id_list, "ids")
    if "fields" in body:
        _string_list(fields, "fields")
    records = collections.retrieve_many(call.caller, call.arg("sobject"), id_list, fields)
    pipeline.note(record_ids=[r["Id"] for r in records if r and "Id" in r])
    return Reply(200, records)


def _string_list(value: Any, name: str) -> None:
    """A JSON body's ``ids`` / ``fields`` must be an array of strings: Salesforce's reader
    refuses anything else (a comma-separated string is for the query string only)."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return
    token = (
        "VALUE_STRING"
        if isinstance(value, str)
        else "START_OBJECT"
        if isinstance(value, Mapping)
        else "START_ARRAY"
        if isinstance(value, list)
        else "VALUE_NULL"
        if value is None
        else "VALUE_SCALAR"
    )
    raise errors.JsonParserError(
        f"Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of {token} "
        f"token for {name}"
    )
