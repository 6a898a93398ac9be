"""Bulk jobs as stored: one row per job (Bulk API 2.0 ingest and query, Bulk API 1.0 "Classic")
and one row per Bulk 1.0 batch, in the org's own database so snapshots and clones carry them.

A job's state moves only through ``state.py``; this module reads and writes it. Job ids have the
key prefix ``750``, Bulk 1.0 batch ids ``751`` and query result ids ``752`` (Bulk API guide).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from ..store import OrgStore

JOB_PREFIX = "750"
BATCH_PREFIX = "751"
RESULT_PREFIX = "752"
V2_INGEST = "V2Ingest"
V2_QUERY = "V2Query"
CLASSIC = "Classic"
_READY_KEY = "bulk.tables"

TABLES = """
CREATE TABLE IF NOT EXISTS _mock_bulk_job (id TEXT PRIMARY KEY, kind TEXT NOT NULL,
    state TEXT NOT NULL, created_date TEXT NOT NULL, definition TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_bulk_job_state ON _mock_bulk_job (state);
CREATE TABLE IF NOT EXISTS _mock_bulk_batch (id TEXT PRIMARY KEY, job_id TEXT NOT NULL,
    seq INTEGER NOT NULL, state TEXT NOT NULL, created_date TEXT NOT NULL,
    definition TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_bulk_batch_job ON _mock_bulk_batch (job_id, seq);
"""


@dataclass
class RowResult:
    """What happened to one data row: ``ok``, ``error`` or ``unprocessed``."""

    outcome: str
    values: list[str] = field(default_factory=list)
    record_id: str | None = None
    created: bool = False
    status_code: str | None = None
    message: str | None = None
    fields: list[str] = field(default_factory=list)

    @classmethod
    def invalid_value(cls, message: str, field_name: str) -> RowResult:
        """A row whose value cannot be read as its field's type: INVALID_FIELD."""
        return cls("error", status_code="INVALID_FIELD", message=message, fields=[field_name])

    def error_text(self) -> str:
        """``CODE:message:Field1,Field2 --`` (``CODE:message:--`` without fields)."""
        named = ",".join(self.fields)
        return f"{self.status_code}:{self.message}:{named + ' ' if named else ''}--"


@dataclass
class Job:
    """One bulk job with everything Salesforce reports about it, plus its data and results."""

    id: str
    kind: str
    operation: str
    object: str
    created_by: str
    created_date: str
    system_modstamp: str
    state: str
    api_version: str
    content_type: str = "CSV"
    column_delimiter: str = "COMMA"
    line_ending: str = "LF"
    concurrency_mode: str = "Parallel"
    external_id_field: str | None = None
    assignment_rule_id: str | None = None
    query: str | None = None
    error_message: str | None = None
    records_processed: int = 0
    records_failed: int = 0
    ready_at: str | None = None
    held: bool = False
    processed: bool = False
    uploads: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    query_columns: list[str] = field(default_factory=list)
    query_rows: list[list[Any]] = field(default_factory=list)

    @property
    def is_query(self) -> bool:
        return self.operation in ("query", "queryAll")

    def row_results(self) -> list[RowResult]:
        return [RowResult(**item) for item in self.results]

    def to_json(self) -> str:
        return json.dumps(vars(self))

    @classmethod
    def from_json(cls, text: str) -> Job:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Batch:
    """A Bulk 1.0 batch: its data as sent, its state and its row results."""

    id: str
    job_id: str
    seq: int
    state: str
    created_date: str
    system_modstamp: str
    content: str
    content_type: str
    state_message: str | None = None
    records_processed: int = 0
    records_failed: int = 0
    ready_at: str | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    result_ids: list[str] = field(default_factory=list)
    query_columns: list[str] = field(default_factory=list)
    query_rows: list[list[Any]] = field(default_factory=list)
    query_types: list[str] = field(default_factory=list)

    def row_results(self) -> list[RowResult]:
        return [RowResult(**item) for item in self.results]

    def to_json(self) -> str:
        return json.dumps(vars(self))

    @classmethod
    def from_json(cls, text: str) -> Batch:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def ensure_tables(store: OrgStore) -> None:
    """The bulk tables, created on first use in each org database."""
    if store.cache.get(_READY_KEY) is store.conn:
        return
    with store.lock:
        store.conn.executescript(TABLES)
        store.cache[_READY_KEY] = store.conn


def save_job(store: OrgStore, job: Job) -> None:
    ensure_tables(store)
    store.execute(
        "INSERT INTO _mock_bulk_job (id, kind, state, created_date, definition) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
        "definition = excluded.definition",
        (job.id, job.kind, job.state, job.created_date, job.to_json()),
    )


def load_job(store: OrgStore, job_id: str) -> Job | None:
    ensure_tables(store)
    rows = store.query("SELECT definition FROM _mock_bulk_job WHERE id = ?", (job_id,))
    return Job.from_json(rows[0]["definition"]) if rows else None


def delete_job(store: OrgStore, job_id: str) -> None:
    ensure_tables(store)
    with store.transaction():
        store.execute("DELETE FROM _mock_bulk_batch WHERE job_id = ?", (job_id,))
        store.execute("DELETE FROM _mock_bulk_job WHERE id = ?", (job_id,))


def list_jobs(store: OrgStore, kinds: tuple[str, ...]) -> list[Job]:
    """Jobs of the given kinds, oldest first."""
    ensure_tables(store)
    marks = ", ".join("?" for _ in kinds)
    rows = store.query(
        f"SELECT definition FROM _mock_bulk_job WHERE kind IN ({marks}) ORDER BY rowid", kinds
    )
    return [Job.from_json(row["definition"]) for row in rows]


def pending_job_ids(store: OrgStore) -> list[str]:
    """Bulk 2.0 jobs waiting to run, and Bulk 1.0 jobs with batches waiting to run."""
    ensure_tables(store)
    rows = store.query(
        "SELECT id FROM _mock_bulk_job WHERE state IN ('UploadComplete', 'InProgress') "
        "UNION SELECT DISTINCT job_id FROM _mock_bulk_batch "
        "WHERE state IN ('Queued', 'InProgress')"
    )
    return [row[0] for row in rows]


def save_batch(store: OrgStore, batch: Batch) -> None:
    ensure_tables(store)
    store.execute(
        "INSERT INTO _mock_bulk_batch (id, job_id, seq, state, created_date, definition) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
        "definition = excluded.definition",
        (batch.id, batch.job_id, batch.seq, batch.state, batch.created_date, batch.to_json()),
    )


def job_batches(store: OrgStore, job_id: str) -> list[Batch]:
    ensure_tables(store)
    rows = store.query(
        "SELECT definition FROM _mock_bulk_batch WHERE job_id = ? ORDER BY seq", (job_id,)
    )
    return [Batch.from_json(row["definition"]) for row in rows]


def load_batch(store: OrgStore, job_id: str, batch_id: str) -> Batch | None:
    ensure_tables(store)
    rows = store.query(
        "SELECT definition FROM _mock_bulk_batch WHERE id = ? AND job_id = ?", (batch_id, job_id)
    )
    return Batch.from_json(rows[0]["definition"]) if rows else None


def jobs_since(store: OrgStore, since: str) -> list[Job]:
    """Every job created after ``since`` (for the daily limits)."""
    ensure_tables(store)
    rows = store.query(
        "SELECT definition FROM _mock_bulk_job WHERE created_date > ? ORDER BY rowid", (since,)
    )
    return [Job.from_json(row["definition"]) for row in rows]


def batches_since(store: OrgStore, since: str) -> int:
    ensure_tables(store)
    rows = store.query("SELECT COUNT(*) FROM _mock_bulk_batch WHERE created_date > ?", (since,))
    return int(rows[0][0])
