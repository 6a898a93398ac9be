"""The persistent outbox, the sync log and the pull watermarks (X-28)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from integration.storage.base import SqliteBase
from integration.storage.rows import OutboxJob, SyncLogEntry

PENDING = "pending"
WAITING = "waiting"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class LogLine:
    """One sync log entry to write: object, record, direction, acting credential, error."""

    team_id: int
    sobject: str
    record: str
    direction: str
    error_code: str
    message: str
    level: str = "error"
    acting_credential_id: int | None = None
    retryable: bool = False
    attempts: int = 0
    outbox_id: int | None = None


class OutboxStore(SqliteBase):
    def enqueue(
        self,
        team_id: int,
        job: str,
        subject_app_id: str,
        member_id: int,
        argument: str | None = None,
        waits_for_app_id: str | None = None,
    ) -> int:
        state = WAITING if waits_for_app_id else PENDING
        return self._write(
            "INSERT INTO outbox (team_id, job, subject_app_id, member_id, argument,"
            " waits_for_app_id, state, next_attempt_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                team_id,
                job,
                subject_app_id,
                member_id,
                argument,
                waits_for_app_id,
                state,
                self._stamp(),
                self._stamp(),
            ),
        )

    def due_jobs(self, now: datetime, limit: int = 50) -> list[OutboxJob]:
        rows = self._rows(
            "SELECT * FROM outbox WHERE state = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (PENDING, now.isoformat(), limit),
        )
        return [_job(row) for row in rows]

    def job(self, job_id: int) -> OutboxJob:
        row = self._row("SELECT * FROM outbox WHERE id = ?", (job_id,))
        if row is None:
            raise KeyError(f"no outbox job {job_id}")
        return _job(row)

    def jobs(self, team_id: int) -> list[OutboxJob]:
        rows = self._rows("SELECT * FROM outbox WHERE team_id = ? ORDER BY id", (team_id,))
        return [_job(row) for row in rows]

    def update_job(
        self,
        job_id: int,
        state: str,
        attempts: int,
        next_attempt_at: datetime,
        last_error: str = "",
    ) -> None:
        self._write(
            "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (state, attempts, next_attempt_at.isoformat(), last_error, job_id),
        )

    def unsent_jobs(self, app_id: str) -> set[str]:
        """The kinds of job still to be sent for an app record (pending or waiting)."""
        rows = self._rows(
            "SELECT DISTINCT job FROM outbox WHERE subject_app_id = ? AND state IN (?, ?)",
            (app_id, PENDING, WAITING),
        )
        return {str(row["job"]) for row in rows}

    def wait_for(self, job_id: int, app_id: str) -> None:
        self._write(
            "UPDATE outbox SET state = ?, waits_for_app_id = ? WHERE id = ?",
            (WAITING, app_id, job_id),
        )

    def wake_waiting(self, app_id: str) -> int:
        """Jobs waiting for a record to be linked become due again; returns how many."""
        with self.transaction():
            cursor = self._db.execute(
                "UPDATE outbox SET state = ?, waits_for_app_id = NULL, next_attempt_at = ?"
                " WHERE state = ? AND waits_for_app_id = ?",
                (PENDING, self._stamp(), WAITING, app_id),
            )
            return int(cursor.rowcount)

    def log(self, line: LogLine) -> int:
        return self._write(
            "INSERT INTO sync_log (team_id, level, sobject, record, direction,"
            " acting_credential_id, error_code, message, retryable, attempts, outbox_id, at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                line.team_id,
                line.level,
                line.sobject,
                line.record,
                line.direction,
                line.acting_credential_id,
                line.error_code,
                line.message,
                int(line.retryable),
                line.attempts,
                line.outbox_id,
                self._stamp(),
            ),
        )

    def sync_log(self, team_id: int, level: str | None = None) -> list[SyncLogEntry]:
        sql = "SELECT * FROM sync_log WHERE team_id = ?"
        params: list[object] = [team_id]
        if level is not None:
            sql += " AND level = ?"
            params.append(level)
        return [_entry(row) for row in self._rows(sql + " ORDER BY id", params)]

    def log_entry(self, entry_id: int) -> SyncLogEntry:
        row = self._row("SELECT * FROM sync_log WHERE id = ?", (entry_id,))
        if row is None:
            raise KeyError(f"no sync log entry {entry_id}")
        return _entry(row)

    def resolve_log_entry(self, entry_id: int) -> None:
        self._write("UPDATE sync_log SET resolved = 1 WHERE id = ?", (entry_id,))

    def pull_mark(self, team_id: int, sobject: str) -> str | None:
        row = self._row(
            "SELECT last_modstamp FROM pull_marks WHERE team_id = ? AND sobject = ?",
            (team_id, sobject),
        )
        return None if row is None else str(row["last_modstamp"])

    def set_pull_mark(self, team_id: int, sobject: str, modstamp: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO pull_marks (team_id, sobject, last_modstamp) VALUES (?, ?, ?)",
            (team_id, sobject, modstamp),
        )


def _job(row: sqlite3.Row) -> OutboxJob:
    return OutboxJob(
        job_id=int(row["id"]),
        team_id=int(row["team_id"]),
        job=str(row["job"]),
        subject_app_id=str(row["subject_app_id"]),
        member_id=int(row["member_id"]),
        argument=row["argument"],
        waits_for_app_id=row["waits_for_app_id"],
        state=str(row["state"]),
        attempts=int(row["attempts"]),
        next_attempt_at=datetime.fromisoformat(row["next_attempt_at"]),
        last_error=str(row["last_error"]),
    )


def _entry(row: sqlite3.Row) -> SyncLogEntry:
    return SyncLogEntry(
        entry_id=int(row["id"]),
        team_id=int(row["team_id"]),
        level=str(row["level"]),
        sobject=str(row["sobject"]),
        record=str(row["record"]),
        direction=str(row["direction"]),
        acting_credential_id=row["acting_credential_id"],
        error_code=str(row["error_code"]),
        message=str(row["message"]),
        retryable=bool(row["retryable"]),
        attempts=int(row["attempts"]),
        outbox_id=row["outbox_id"],
        resolved=bool(row["resolved"]),
    )
