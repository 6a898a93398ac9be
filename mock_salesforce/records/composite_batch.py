"""``POST /composite/batch``: up to 25 independent subrequests (REST guide, "Batch").

Each subrequest runs in its own transaction, in order; there are no references between them
and nothing is rolled back. ``hasErrors`` says whether any answered 400 or more; the call
itself answers 200. With ``haltOnError`` every subrequest after the first failure answers 412
BATCH_PROCESSING_HALTED (shared reference part 2 §4.1). URLs are ``vNN.0/...`` (relative to
``/services/data/``, as the docs write them) or ``/services/data/vNN.0/...``; a batch
subrequest may not use a newer API version than the batch call itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .. import errors
from . import resources as r
from .composite import DATA_PREFIX, Runner, check_relative, dispatch
from .context import parse_flag

MAX_SUBREQUESTS = 25
_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD")
_VERSION = re.compile(r"^/services/data/v(\d+)\.0/")
_HALTED = "Batch processing halted: an earlier request of this batch failed (haltOnError)"


@dataclass(frozen=True)
class BatchSubrequest:
    method: str
    url: str
    body: Any


def parse_batch(body: Any) -> tuple[list[BatchSubrequest], bool]:
    """The batch, checked as a whole: a malformed one is a 400 for the whole call."""
    items = body.get("batchRequests") if isinstance(body, Mapping) else None
    if not isinstance(items, list) or not items:
        raise errors.InvalidInput("The request must contain a batchRequests array")
    if len(items) > MAX_SUBREQUESTS:
        raise errors.InvalidInput(
            f"A batch cannot contain more than {MAX_SUBREQUESTS} requests: {len(items)} requests"
        )
    return [_subrequest(item) for item in items], parse_flag(body.get("haltOnError"), "haltOnError")


def _subrequest(item: Any) -> BatchSubrequest:
    if not isinstance(item, Mapping):
        raise errors.JsonParserError("Cannot deserialize instance of BatchRequest")
    method, url = item.get("method"), item.get("url")
    if not isinstance(method, str) or method.upper() not in _METHODS:
        raise errors.InvalidInput(f"Invalid method in a batch request: {method}")
    if not isinstance(url, str) or not url:
        raise errors.InvalidInput("Each batch request needs a url")
    if "binaryPartName" in item:
        raise errors.InvalidInput("Binary parts (multipart batch requests) are not supported")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        check_relative(url)  # another host: refused
    full = url if url.startswith("/") else DATA_PREFIX + url
    if full.startswith("/v"):
        full = DATA_PREFIX.rstrip("/") + full
    check_relative(full)
    return BatchSubrequest(method.upper(), full, item.get("richInput"))


def run_batch(runner: Runner, body: Any, version: str) -> dict[str, Any]:
    """Execute a batch; returns ``{"hasErrors": ..., "results": [...]}``."""
    subrequests, halt_on_error = parse_batch(body)
    results: list[dict[str, Any]] = []
    halted = False
    for sub in subrequests:
        if halted:
            error = errors.BatchProcessingHalted(_HALTED)
            results.append({"statusCode": error.http_status, "result": [error.to_json()]})
            continue
        reply = _execute(runner, sub, version)
        results.append({"statusCode": reply.status, "result": reply.body})
        halted = halt_on_error and reply.status >= 400
    has_errors = any(result["statusCode"] >= 400 for result in results)
    return {"hasErrors": has_errors, "results": results}


def _execute(runner: Runner, sub: BatchSubrequest, version: str) -> r.Reply:
    try:
        found = _VERSION.match(sub.url)
        if found and int(found.group(1)) > int(version.split(".")[0]):
            raise errors.InvalidInput(
                f"The API version of a batch request cannot be newer than the batch's: {sub.url}"
            )
        with runner.session.org.transaction():
            return dispatch(runner, sub.method, sub.url, sub.body, {}, runner.auto_assign)
    except errors.SalesforceError as exc:
        return r.Reply(exc.http_status, [exc.to_json()])
