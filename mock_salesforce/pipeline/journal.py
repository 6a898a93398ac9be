"""The journal: every API call an org served, with who made it and what it did.

Tests read it to prove which user's token made which call (the credential rules are about
exactly that). Tokens, secrets and passwords are never written here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import ids
from ..errors import ControlError
from ..store import OrgStore
from . import journal_bodies
from .safejson import parse_int_text

MAX_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05

FILTERS = (
    "user",
    "user_id",
    "username",
    "client_id",
    "method",
    "path",
    "api",
    "operation",
    "sobject",
    "status",
    "error_code",
    "since_seq",
    "record_id",
    "limit",
    "host",
)


@dataclass
class JournalEntry:
    """What one call did; filled in as the request is served."""

    method: str
    path: str
    api: str
    user_id: str | None = None
    username: str | None = None
    client_id: str | None = None
    operation: str | None = None
    sobject: str | None = None
    record_ids: list[str] = field(default_factory=list)
    soql: str | None = None
    status: int = 0
    error_code: str | None = None
    fault_id: str | None = None
    host: str | None = None


DEFAULT_LIMIT = 10_000  # entries kept per org; the org setting ``journal_limit`` changes it
_DROPPED = "journal_dropped"


def record(store: OrgStore, entry: JournalEntry, duration_ms: float) -> int:
    """Write the entry; returns its ``seq``."""
    cursor = store.execute(
        "INSERT INTO _mock_journal (time, user_id, username, client_id, method, path, api, "
        "operation, sobject, record_ids, soql, status, error_code, fault_id, duration_ms, host) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            store.now_text(),
            entry.user_id,
            entry.username,
            entry.client_id,
            entry.method,
            entry.path,
            entry.api,
            entry.operation,
            entry.sobject,
            json.dumps(entry.record_ids) if entry.record_ids else None,
            entry.soql,
            entry.status,
            entry.error_code,
            entry.fault_id,
            round(duration_ms, 3),
            entry.host,
        ),
    )
    _keep_within_limit(store, cursor.lastrowid)
    return int(cursor.lastrowid or 0)


def _keep_within_limit(store: OrgStore, last_seq: int | None) -> None:
    """Drop the oldest entries beyond the org's limit (and their kept bodies), counting what
    was dropped."""
    if last_seq is None:
        return
    limit = int(store.setting("journal_limit", DEFAULT_LIMIT))
    dropped = store.execute("DELETE FROM _mock_journal WHERE seq <= ?", (last_seq - limit,))
    if dropped.rowcount > 0:
        journal_bodies.prune(store, last_seq - limit)
        with store.lock:
            store.cache[_DROPPED] = store.cache.get(_DROPPED, 0) + dropped.rowcount


def stats(store: OrgStore) -> dict[str, int]:
    """How many entries the journal holds, its limit, and how many it dropped (oldest first)."""
    entries = int(store.query("SELECT COUNT(*) FROM _mock_journal")[0][0])
    limit = int(store.setting("journal_limit", DEFAULT_LIMIT))
    return {"entries": entries, "limit": limit, "dropped": int(store.cache.get(_DROPPED, 0))}


def wait_for(store: OrgStore, filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """``query``, long-polling: with ``wait=<seconds>`` (at most 60) and nothing matching yet,
    ask again until an entry matches or the time is up (then ``[]``). ``bodies=true`` adds the
    request and response bodies kept for orgs with ``journal_bodies`` on."""
    params = dict(filters)
    wait = _seconds(params.pop("wait", "0"))
    bodies = params.pop("bodies", "false").lower() in ("1", "true", "yes")
    deadline = time.monotonic() + wait
    entries = query(store, params)
    while not entries and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entries = query(store, params)
    if bodies:
        journal_bodies.attach(store, entries)
    return entries


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ControlError(f"wait must be a number of seconds, not {text!r}") from None
    if not 0 <= value <= MAX_WAIT_SECONDS:
        raise ControlError(f"wait must be between 0 and {MAX_WAIT_SECONDS:g} seconds")
    return value


def query(store: OrgStore, filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """Journal entries in call order, filtered (``user`` matches id or username)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ControlError(
            f"unknown journal filter(s) {sorted(unknown)}; known: {', '.join(FILTERS)}"
        )
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in filters.items():
        if key in ("limit", "record_id", "since_seq"):
            continue
        if key == "user":
            clauses.append("(user_id = ? OR username = ?)")
            params += [value, value]
        elif key == "path":
            clauses.append("path LIKE ?")
            params.append(f"%{value}%")
        elif key == "status":
            clauses.append("status = ?")
            params.append(_number(key, value))
        else:
            clauses.append(f"{key} = ?")
            params.append(value)
    if "since_seq" in filters:
        clauses.append("seq > ?")
        params.append(_number("since_seq", filters["since_seq"]))
    if "record_id" in filters:
        # Ids are case-sensitive in their first 15 characters: compare exactly, on 18.
        wanted = ids.normalize(filters["record_id"]) or filters["record_id"]
        clauses.append("EXISTS (SELECT 1 FROM json_each(record_ids) WHERE value = ?)")
        params.append(wanted)
    sql = "SELECT * FROM _mock_journal"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY seq"
    if "limit" in filters:
        sql += f" LIMIT {_number('limit', filters['limit'])}"
    return [_entry_json(row) for row in store.query(sql, params)]


def _number(key: str, value: str) -> int:
    number = parse_int_text(value)
    if number is None:
        raise ControlError(f"journal filter '{key}' must be a whole number of at most 18 digits")
    return number


def clear(store: OrgStore) -> None:
    store.execute("DELETE FROM _mock_journal")
    store.execute(journal_bodies.TABLE)
    store.execute("DELETE FROM _mock_journal_body")


def _entry_json(row: Any) -> dict[str, Any]:
    data = dict(row)
    data["record_ids"] = json.loads(data["record_ids"]) if data["record_ids"] else []
    return data
