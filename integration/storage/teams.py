"""Teams, members, profile owners, push / pull settings and field mappings."""

from __future__ import annotations

import json
import sqlite3

from integration.domain.model import (
    DEFAULT_FIELD_MAPPING,
    ActivityKind,
    MemberRole,
    PullSettings,
    PushSettings,
    SObject,
)
from integration.storage.base import SqliteBase
from integration.storage.rows import Member, Team

DEFAULT_EXTERNAL_ID_FIELD = "App_Id__c"


class TeamStore(SqliteBase):
    def create_team(self, name: str, external_id_field: str = DEFAULT_EXTERNAL_ID_FIELD) -> Team:
        team_id = self._write(
            "INSERT INTO teams (name, external_id_field) VALUES (?, ?)", (name, external_id_field)
        )
        return Team(team_id, name, external_id_field)

    def team(self, team_id: int) -> Team:
        row = self._row("SELECT * FROM teams WHERE id = ?", (team_id,))
        if row is None:
            raise KeyError(f"no team {team_id}")
        return Team(int(row["id"]), str(row["name"]), str(row["external_id_field"]))

    def add_member(
        self, team_id: int, name: str, email: str, role: MemberRole = MemberRole.REP
    ) -> Member:
        member_id = self._write(
            "INSERT INTO members (team_id, name, email, role) VALUES (?, ?, ?, ?)",
            (team_id, name, email, role.value),
        )
        return Member(member_id, team_id, name, email, role)

    def member(self, member_id: int) -> Member:
        row = self._row("SELECT * FROM members WHERE id = ?", (member_id,))
        if row is None:
            raise KeyError(f"no member {member_id}")
        return _member(row)

    def members(self, team_id: int) -> list[Member]:
        rows = self._rows("SELECT * FROM members WHERE team_id = ? ORDER BY id", (team_id,))
        return [_member(row) for row in rows]

    def set_profile_owner(self, member_id: int, sf_user_id: str | None) -> None:
        """S-10: the Salesforce user a member without a PC picks as owner of their pushes."""
        self._write("UPDATE members SET profile_owner_id = ? WHERE id = ?", (sf_user_id, member_id))

    def set_integration_profiles(self, team_id: int, profiles: list[str]) -> None:
        """S-03: Salesforce profiles whose users the admin marks as dedicated integration users."""
        self._write(
            "UPDATE teams SET integration_profiles = ? WHERE id = ?",
            (json.dumps(sorted(profiles)), team_id),
        )

    def integration_profiles(self, team_id: int) -> frozenset[str]:
        row = self._row("SELECT integration_profiles FROM teams WHERE id = ?", (team_id,))
        if row is None or row["integration_profiles"] is None:
            return frozenset()
        return frozenset(json.loads(row["integration_profiles"]))

    def remember_field_access(
        self, member_id: int, sobject: str, createable: frozenset[str], updateable: frozenset[str]
    ) -> None:
        """X-18 with X-08: the member's field edit rights from their last describe."""
        self._write(
            "INSERT OR REPLACE INTO member_field_access "
            "(member_id, sobject, createable, updateable) VALUES (?, ?, ?, ?)",
            (member_id, sobject, json.dumps(sorted(createable)), json.dumps(sorted(updateable))),
        )

    def field_access(
        self, member_id: int, sobject: str
    ) -> tuple[frozenset[str], frozenset[str]] | None:
        """(createable, updateable) field names remembered for the member, or None."""
        row = self._row(
            "SELECT createable, updateable FROM member_field_access "
            "WHERE member_id = ? AND sobject = ?",
            (member_id, sobject),
        )
        if row is None:
            return None
        return frozenset(json.loads(row["createable"])), frozenset(json.loads(row["updateable"]))

    def set_push_settings(self, team_id: int, settings: PushSettings) -> None:
        body = {
            "create_people": settings.create_people,
            "create_accounts": settings.create_accounts,
            "people_as": settings.people_as.value,
            "activity_kinds": sorted(kind.value for kind in settings.activity_kinds),
        }
        self._write("UPDATE teams SET push_settings = ? WHERE id = ?", (json.dumps(body), team_id))

    def push_settings(self, team_id: int) -> PushSettings:
        row = self._row("SELECT push_settings FROM teams WHERE id = ?", (team_id,))
        if row is None or row["push_settings"] is None:
            return PushSettings()
        body = json.loads(row["push_settings"])
        return PushSettings(
            create_people=bool(body["create_people"]),
            create_accounts=bool(body["create_accounts"]),
            people_as=SObject(body["people_as"]),
            activity_kinds=frozenset(ActivityKind(kind) for kind in body["activity_kinds"]),
        )

    def set_pull_settings(self, team_id: int, settings: PullSettings) -> None:
        body = {
            "objects": sorted(sobject.value for sobject in settings.objects),
            "filters": {sobject.value: text for sobject, text in settings.filters.items()},
        }
        self._write("UPDATE teams SET pull_settings = ? WHERE id = ?", (json.dumps(body), team_id))

    def pull_settings(self, team_id: int) -> PullSettings:
        row = self._row("SELECT pull_settings FROM teams WHERE id = ?", (team_id,))
        if row is None or row["pull_settings"] is None:
            return PullSettings()
        body = json.loads(row["pull_settings"])
        return PullSettings(
            objects=frozenset(SObject(name) for name in body["objects"]),
            filters={SObject(name): text for name, text in body["filters"].items()},
        )

    def set_field_mapping(self, team_id: int, sobject: SObject, mapping: dict[str, str]) -> None:
        """App field name -> Salesforce field name for one object (replaces the default)."""
        self._write(
            "INSERT OR REPLACE INTO field_mappings (team_id, sobject, mapping) VALUES (?, ?, ?)",
            (team_id, sobject.value, json.dumps(mapping)),
        )

    def field_mapping(self, team_id: int, sobject: SObject) -> dict[str, str]:
        row = self._row(
            "SELECT mapping FROM field_mappings WHERE team_id = ? AND sobject = ?",
            (team_id, sobject.value),
        )
        if row is None:
            return dict(DEFAULT_FIELD_MAPPING.get(sobject, {}))
        mapping: dict[str, str] = json.loads(row["mapping"])
        return mapping


def _member(row: sqlite3.Row) -> Member:
    return Member(
        int(row["id"]),
        int(row["team_id"]),
        str(row["name"]),
        str(row["email"]),
        MemberRole(row["role"]),
        row["profile_owner_id"],
    )
