"""Credentials (tokens encrypted at rest), OAuth states, health events and notifications."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from integration.domain.health import HealthTransition
from integration.domain.model import AuthMethod, ConnectionStatus, CredentialKind
from integration.storage.base import SqliteBase
from integration.storage.rows import ConnectionEvent, Credential, NewCredential, Notification

OAUTH_STATE_LIFETIME = timedelta(minutes=30)


class CredentialStore(SqliteBase):
    def add_credential(self, new: NewCredential) -> Credential:
        credential_id = self._write(
            "INSERT INTO credentials (team_id, member_id, kind, auth_method, status, org_id,"
            " sf_user_id, username, instance_url, identity_url, access_token, refresh_token,"
            " source_member_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                new.team_id,
                new.member_id,
                new.kind.value,
                new.auth_method.value,
                new.status.value,
                new.org_id,
                new.sf_user_id,
                new.username,
                new.instance_url,
                new.identity_url,
                self._cipher.encrypt(new.access_token),
                self._cipher.encrypt(new.refresh_token),
                new.source_member_id,
                self._stamp(),
            ),
        )
        return self.credential(credential_id)

    def replace_identity(self, credential_id: int, new: NewCredential) -> Credential:
        """Reconnect into the same connection record (X-12): new tokens, same id."""
        self._write(
            "UPDATE credentials SET auth_method=?, org_id=?, sf_user_id=?, username=?,"
            " instance_url=?, identity_url=?, access_token=?, refresh_token=?,"
            " token_version=token_version+1, source_member_id=?, updated_at=? WHERE id=?",
            (
                new.auth_method.value,
                new.org_id,
                new.sf_user_id,
                new.username,
                new.instance_url,
                new.identity_url,
                self._cipher.encrypt(new.access_token),
                self._cipher.encrypt(new.refresh_token),
                new.source_member_id,
                self._stamp(),
                credential_id,
            ),
        )
        return self.credential(credential_id)

    def credential(self, credential_id: int) -> Credential:
        row = self._row("SELECT * FROM credentials WHERE id = ?", (credential_id,))
        if row is None:
            raise KeyError(f"no credential {credential_id}")
        return self._credential(row)

    def personal_credential(self, member_id: int) -> Credential | None:
        row = self._row(
            "SELECT * FROM credentials WHERE member_id = ? AND kind = ? ORDER BY id DESC",
            (member_id, CredentialKind.PERSONAL.value),
        )
        return None if row is None else self._credential(row)

    def team_sync_credential(self, team_id: int) -> Credential | None:
        row = self._row(
            "SELECT * FROM credentials WHERE team_id = ? AND kind = ? AND status != ?"
            " ORDER BY id DESC",
            (team_id, CredentialKind.TEAM_SYNC.value, ConnectionStatus.DISCONNECTED.value),
        )
        return None if row is None else self._credential(row)

    def credentials_for_login(self, org_id: str, sf_user_id: str) -> list[Credential]:
        """Live credentials (not disconnected) for one Salesforce login (S-08)."""
        rows = self._rows(
            "SELECT * FROM credentials WHERE substr(org_id, 1, 15) = ?"
            " AND substr(sf_user_id, 1, 15) = ? AND status != ?",
            (org_id[:15], sf_user_id[:15], ConnectionStatus.DISCONNECTED.value),
        )
        return [self._credential(row) for row in rows]

    def linked_personal_users(self, team_id: int) -> list[tuple[str, int]]:
        """(Salesforce user id, member id) of every linked personal credential of a team."""
        rows = self._rows(
            "SELECT sf_user_id, member_id FROM credentials WHERE team_id = ? AND kind = ?"
            " AND status != ?",
            (team_id, CredentialKind.PERSONAL.value, ConnectionStatus.DISCONNECTED.value),
        )
        return [(str(row["sf_user_id"]), int(row["member_id"])) for row in rows]

    def save_tokens(
        self, credential_id: int, access_token: str, refresh_token: str | None, instance_url: str
    ) -> Credential:
        """Save a refreshed (maybe rotated) token pair before anyone uses it (X-10)."""
        with self.transaction():
            self._db.execute(
                "UPDATE credentials SET access_token = ?, instance_url = ?,"
                " refresh_token = COALESCE(?, refresh_token), token_version = token_version + 1,"
                " updated_at = ? WHERE id = ?",
                (
                    self._cipher.encrypt(access_token),
                    instance_url,
                    self._cipher.encrypt(refresh_token),
                    self._stamp(),
                    credential_id,
                ),
            )
        return self.credential(credential_id)

    def set_status(
        self, credential_id: int, transition: HealthTransition, paused_until: datetime | None = None
    ) -> None:
        """Change a connection's health and record the event (X-29)."""
        with self.transaction():
            self._db.execute(
                "UPDATE credentials SET status = ?, status_reason = ?, paused_until = ?,"
                " updated_at = ? WHERE id = ?",
                (
                    transition.after.value,
                    transition.reason,
                    paused_until.isoformat() if paused_until else None,
                    self._stamp(),
                    credential_id,
                ),
            )
            self._db.execute(
                "INSERT INTO connection_events (credential_id, event, from_status, to_status,"
                " reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    credential_id,
                    transition.event_name,
                    transition.before.value if transition.before else None,
                    transition.after.value,
                    transition.reason,
                    self._stamp(),
                ),
            )

    def clear_tokens(self, credential_id: int) -> None:
        self._write(
            "UPDATE credentials SET access_token = NULL, refresh_token = NULL WHERE id = ?",
            (credential_id,),
        )

    def connection_events(self, credential_id: int) -> list[ConnectionEvent]:
        rows = self._rows(
            "SELECT * FROM connection_events WHERE credential_id = ? ORDER BY id", (credential_id,)
        )
        return [
            ConnectionEvent(
                int(row["credential_id"]),
                str(row["event"]),
                ConnectionStatus(row["from_status"]) if row["from_status"] else None,
                ConnectionStatus(row["to_status"]),
                str(row["reason"]),
            )
            for row in rows
        ]

    def save_oauth_state(self, state: str, team_id: int, member_id: int, verifier: str) -> None:
        self._write(
            "INSERT INTO oauth_states (state, team_id, member_id, code_verifier, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (state, team_id, member_id, self._cipher.encrypt(verifier), self._stamp()),
        )

    def take_oauth_state(self, state: str) -> tuple[int, int, str] | None:
        """(team id, member id, PKCE verifier) for a callback's state; a state is single use
        and lives OAUTH_STATE_LIFETIME (an abandoned login never completes later)."""
        with self.transaction():
            row = self._row("SELECT * FROM oauth_states WHERE state = ?", (state,))
            if row is None:
                return None
            self._db.execute("DELETE FROM oauth_states WHERE state = ?", (state,))
        if self.now() - datetime.fromisoformat(row["created_at"]) > OAUTH_STATE_LIFETIME:
            return None
        verifier = self._cipher.decrypt(row["code_verifier"]) or ""
        return int(row["team_id"]), int(row["member_id"]), verifier

    def notify(self, member_id: int, kind: str, message: str) -> None:
        self._write(
            "INSERT INTO notifications (member_id, kind, message, at) VALUES (?, ?, ?, ?)",
            (member_id, kind, message, self._stamp()),
        )

    def notifications(self, member_id: int) -> list[Notification]:
        rows = self._rows(
            "SELECT * FROM notifications WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [Notification(int(r["member_id"]), str(r["kind"]), str(r["message"])) for r in rows]

    def _credential(self, row: sqlite3.Row) -> Credential:
        paused = row["paused_until"]
        return Credential(
            credential_id=int(row["id"]),
            team_id=int(row["team_id"]),
            member_id=row["member_id"],
            kind=CredentialKind(row["kind"]),
            auth_method=AuthMethod(row["auth_method"]),
            status=ConnectionStatus(row["status"]),
            status_reason=str(row["status_reason"]),
            org_id=str(row["org_id"]),
            sf_user_id=str(row["sf_user_id"]),
            username=str(row["username"]),
            instance_url=str(row["instance_url"]),
            identity_url=str(row["identity_url"]),
            access_token=self._cipher.decrypt(row["access_token"]),
            refresh_token=self._cipher.decrypt(row["refresh_token"]),
            token_version=int(row["token_version"]),
            source_member_id=row["source_member_id"],
            paused_until=datetime.fromisoformat(paused) if paused else None,
        )
