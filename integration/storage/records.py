"""App records (people, companies), their links to Salesforce ids, and activities."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime

from integration.domain.model import ActivityKind, RecordKind
from integration.storage.base import SqliteBase
from integration.storage.rows import Activity, AppRecord, Link


def new_app_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


class RecordStore(SqliteBase):
    def save_record(self, record: AppRecord) -> AppRecord:
        """Insert or replace an app record by its app id."""
        self._write(
            "INSERT INTO app_records (team_id, app_id, kind, preferred_sobject, owner_member_id,"
            " owner_sf_user_id, company_app_id, fields, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(app_id) DO UPDATE SET kind=excluded.kind,"
            " preferred_sobject=excluded.preferred_sobject,"
            " owner_member_id=excluded.owner_member_id,"
            " owner_sf_user_id=excluded.owner_sf_user_id,"
            " company_app_id=excluded.company_app_id, fields=excluded.fields,"
            " updated_at=excluded.updated_at",
            (
                record.team_id,
                record.app_id,
                record.kind.value,
                record.preferred_sobject,
                record.owner_member_id,
                record.owner_sf_user_id,
                record.company_app_id,
                json.dumps(record.fields, sort_keys=True, default=str),
                self._stamp(),
            ),
        )
        return self.record(record.app_id)

    def record(self, app_id: str) -> AppRecord:
        row = self._row("SELECT * FROM app_records WHERE app_id = ?", (app_id,))
        if row is None:
            raise KeyError(f"no app record {app_id}")
        return _record(row)

    def records(self, team_id: int) -> list[AppRecord]:
        rows = self._rows("SELECT * FROM app_records WHERE team_id = ? ORDER BY id", (team_id,))
        return [_record(row) for row in rows]

    def find_company_by_name(self, team_id: int, name: str) -> AppRecord | None:
        for record in self.records(team_id):
            if record.kind is RecordKind.COMPANY and record.fields.get("name") == name:
                return record
        return None

    def link(self, team_id: int, app_id: str, sobject: str, sf_id: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO links (team_id, app_id, sobject, sf_id) VALUES (?, ?, ?, ?)",
            (team_id, app_id, sobject, sf_id),
        )

    def link_of(self, team_id: int, app_id: str) -> Link | None:
        row = self._row("SELECT * FROM links WHERE team_id = ? AND app_id = ?", (team_id, app_id))
        return (
            None
            if row is None
            else Link(str(row["app_id"]), str(row["sobject"]), str(row["sf_id"]))
        )

    def link_by_sf_id(self, team_id: int, sf_id: str) -> Link | None:
        row = self._row(
            "SELECT * FROM links WHERE team_id = ? AND substr(sf_id, 1, 15) = ?",
            (team_id, sf_id[:15]),
        )
        return (
            None
            if row is None
            else Link(str(row["app_id"]), str(row["sobject"]), str(row["sf_id"]))
        )

    def save_activity(self, activity: Activity) -> Activity:
        self._write(
            "INSERT INTO activities (team_id, app_id, member_id, kind, person_app_id, subject,"
            " body, occurred_at, duration_minutes) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                activity.team_id,
                activity.app_id,
                activity.member_id,
                activity.kind.value,
                activity.person_app_id,
                activity.subject,
                activity.body,
                activity.occurred_at.isoformat(),
                activity.duration_minutes,
            ),
        )
        return self.activity(activity.app_id)

    def mark_activity_synced(self, app_id: str, sobject: str, sf_id: str) -> None:
        self._write(
            "UPDATE activities SET sobject = ?, sf_id = ? WHERE app_id = ?",
            (sobject, sf_id, app_id),
        )

    def activity(self, app_id: str) -> Activity:
        row = self._row("SELECT * FROM activities WHERE app_id = ?", (app_id,))
        if row is None:
            raise KeyError(f"no activity {app_id}")
        return Activity(
            app_id=str(row["app_id"]),
            team_id=int(row["team_id"]),
            member_id=int(row["member_id"]),
            kind=ActivityKind(row["kind"]),
            person_app_id=str(row["person_app_id"]),
            subject=str(row["subject"]),
            body=str(row["body"]),
            occurred_at=datetime.fromisoformat(row["occurred_at"]),
            duration_minutes=int(row["duration_minutes"]),
            sobject=row["sobject"],
            sf_id=row["sf_id"],
        )


def _record(row: sqlite3.Row) -> AppRecord:
    return AppRecord(
        app_id=str(row["app_id"]),
        team_id=int(row["team_id"]),
        kind=RecordKind(row["kind"]),
        fields=json.loads(row["fields"]),
        owner_member_id=row["owner_member_id"],
        owner_sf_user_id=row["owner_sf_user_id"],
        company_app_id=row["company_app_id"],
        preferred_sobject=row["preferred_sobject"],
    )
