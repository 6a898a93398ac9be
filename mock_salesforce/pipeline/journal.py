"""The journal: every API call an org served, with who made it and what it did.

Tests read it to prove which user's token made which call (the credential rules are about
exactly that). Tokens, secrets and passwords are never written here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from .. import ids
from ..errors import ControlError
from ..serving.parking import parked
from ..store import OrgStore
from ..store.ddl import JOURNAL_HIGH_WATER
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


# The next seq: one past the newest entry, or past the newest an emptied journal held. Sequence
# numbers do not go back after a clear, so a client long-polling with ``since_seq`` misses
# nothing; the table has no AUTOINCREMENT, whose counter row would be one more page per call.
# They have no gaps either: the window (``_VISIBLE``) and the trimming count on it.
_NEXT_SEQ = f"(COALESCE({JOURNAL_HIGH_WATER}, 0) + 1)"

DEFAULT_LIMIT = 10_000  # entries kept per org; the org setting ``journal_limit`` changes it


_COLUMNS = (
    "seq, time, user_id, username, client_id, method, path, api, operation, sobject, "
    "record_ids, soql, status, error_code, fault_id, duration_ms, host"
)
_VALUES = ", ".join("?" * 16)


def values(entry: JournalEntry, duration_ms: float, now: str) -> tuple[Any, ...]:
    """An entry's columns after ``seq``, in order (``record_many`` takes rows of them)."""
    return (
        now,
        entry.user_id,
        entry.username,
        entry.client_id,
        entry.method,
        entry.path,
        entry.api,
        entry.operation,
        entry.sobject,
        orjson.dumps(entry.record_ids).decode() if entry.record_ids else None,
        entry.soql,
        entry.status,
        entry.error_code,
        entry.fault_id,
        round(duration_ms, 3),
        entry.host,
    )


def record(store: OrgStore, entry: JournalEntry, duration_ms: float, now: str | None = None) -> int:
    """Write the entry (at ``now``, else the org's time); returns its ``seq``."""
    cursor = store.execute(
        f"INSERT INTO _mock_journal ({_COLUMNS}) VALUES ({_NEXT_SEQ}, {_VALUES})",
        values(entry, duration_ms, now or store.now_text()),
    )
    _keep_within_limit(store, cursor.lastrowid)
    return int(cursor.lastrowid or 0)


def record_many(store: OrgStore, rows: Sequence[Sequence[Any]]) -> None:
    """Write entries in order, with the next seqs: what ``record`` does for each, in one
    statement. Each row holds an entry's columns after ``seq`` (``values``)."""
    if not rows:
        return
    with store.lock:
        high = int(store.conn.execute(f"SELECT {_NEXT_SEQ}").fetchone()[0])
        store.conn.executemany(
            f"INSERT INTO _mock_journal ({_COLUMNS}) VALUES (?, {_VALUES})",
            [(high + n, *row) for n, row in enumerate(rows)],
        )
    _keep_within_limit(store, high + len(rows) - 1, first_seq=high)


def _keep_within_limit(store: OrgStore, last_seq: int | None, first_seq: int | None = None) -> None:
    """Drop the oldest entries beyond the org's limit (and their kept bodies), counting what
    was dropped.

    The oldest entries are deleted in steps of about 1% of the limit, not one per call:
    deleting at the far end of the table writes pages a call's own insert does not touch, so a
    call's write stays small. Until a step is due, the entries beyond the limit are still in
    the table but no reader sees them (``_visible``), and ``stats`` counts them as dropped.
    """
    if last_seq is None:
        return
    limit = _limit(store)
    beyond = last_seq - limit
    step = _trim_step(limit)
    # Due when one of the entries written (``first_seq`` to ``last_seq``) ends a step.
    steps_before = (max(0, (first_seq or last_seq) - 1 - limit)) // step
    if beyond <= 0 or beyond // step == steps_before:
        return
    dropped = store.execute("DELETE FROM _mock_journal WHERE seq <= ?", (beyond,))
    if dropped.rowcount > 0:
        journal_bodies.prune(store, beyond)
        store.execute(_DROPPED_TABLE)
        store.execute(
            "INSERT INTO _mock_journal_dropped (id, count) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET count = count + excluded.count",
            (dropped.rowcount,),
        )


def _limit(store: OrgStore) -> int:
    return int(store.setting("journal_limit", DEFAULT_LIMIT))


def _trim_step(limit: int) -> int:
    return max(1, limit // 100)


# Only the newest ``journal_limit`` entries are visible, whatever a pending trim step left.
_VISIBLE = "seq > (SELECT COALESCE(MAX(seq), 0) FROM _mock_journal) - ?"

# How many entries trims deleted, in the org's file so every worker process reports the same.
_DROPPED_TABLE = (
    "CREATE TABLE IF NOT EXISTS _mock_journal_dropped (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "count INTEGER NOT NULL)"
)


def _dropped_by_trims(store: OrgStore) -> int:
    if not store.query("SELECT 1 FROM sqlite_master WHERE name = '_mock_journal_dropped'"):
        return 0
    rows = store.query("SELECT count FROM _mock_journal_dropped WHERE id = 1")
    return int(rows[0][0]) if rows else 0


def stats(store: OrgStore) -> dict[str, int]:
    """How many entries the journal holds, its limit, and how many it dropped (oldest first)."""
    limit = _limit(store)
    store.settle_calls()
    with store.lock:
        top = int(store.query("SELECT COALESCE(MAX(seq), 0) FROM _mock_journal")[0][0])
        row = store.query(
            "SELECT COUNT(*) FILTER (WHERE seq > ?), COUNT(*) FILTER (WHERE seq <= ?) "
            "FROM _mock_journal",
            (top - limit, top - limit),
        )[0]
        dropped = _dropped_by_trims(store) + int(row[1])
    return {"entries": int(row[0]), "limit": limit, "dropped": dropped}


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
        with parked():
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
    clauses: list[str] = [_VISIBLE]
    params: list[Any] = [_limit(store)]
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
    sql = "SELECT * FROM _mock_journal WHERE " + " AND ".join(clauses)
    sql += " ORDER BY seq"
    if "limit" in filters:
        sql += f" LIMIT {_number('limit', filters['limit'])}"
    store.settle_calls()  # the calls in the org's call log are entries too
    return [_entry_json(row) for row in store.query(sql, params)]


def _number(key: str, value: str) -> int:
    number = parse_int_text(value)
    if number is None:
        raise ControlError(f"journal filter '{key}' must be a whole number of at most 18 digits")
    return number


def clear(store: OrgStore) -> None:
    """Empty the journal and its kept bodies; the count of dropped entries starts again, the
    sequence numbers go on. One transaction: an entry another worker writes meanwhile is either
    deleted with the others and counted in the floor, or written after the clear."""
    with store.transaction():
        store.execute(f"UPDATE _mock_journal_floor SET seq = COALESCE({JOURNAL_HIGH_WATER}, 0)")
        store.execute("DELETE FROM _mock_journal")
        store.execute(journal_bodies.TABLE)
        store.execute("DELETE FROM _mock_journal_body")
        store.execute(_DROPPED_TABLE)
        store.execute("DELETE FROM _mock_journal_dropped")


def _entry_json(row: Any) -> dict[str, Any]:
    data = dict(row)
    data["record_ids"] = json.loads(data["record_ids"]) if data["record_ids"] else []
    return data
