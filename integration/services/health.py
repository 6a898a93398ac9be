"""Connection health changes, recorded as events, with notifications (X-07, X-16, X-29)."""

from __future__ import annotations

from datetime import datetime

from integration.domain.health import HealthTransition, means_lost_permission, transition
from integration.domain.model import ConnectionStatus, CredentialKind, MemberRole
from integration.storage.rows import Credential
from integration.store import Store

REAUTH_MESSAGE = "Your Salesforce connection needs to be reconnected: {reason}"


class ConnectionHealth:
    def __init__(self, store: Store) -> None:
        self.store = store

    def change(
        self,
        credential_id: int,
        status: ConnectionStatus,
        reason: str,
        paused_until: datetime | None = None,
    ) -> HealthTransition | None:
        """Move a connection to `status`; records an event only when the state changes."""
        with self.store.transaction():
            current = self.store.credential(credential_id)
            change = transition(current.status, status, reason)
            if change is not None:
                self.store.set_status(credential_id, change, paused_until)
            return change

    def lost_permission(self, credential_id: int | None, error_code: str, message: str) -> None:
        """S-02 / S-04: a refusal that means a permission was lost degrades a connection that
        was `connected` at once, with the reason (no preflight re-run needed)."""
        if credential_id is None or not means_lost_permission(error_code):
            return
        if self.store.credential(credential_id).status is ConnectionStatus.CONNECTED:
            self.change(credential_id, ConnectionStatus.DEGRADED, f"{error_code}: {message}")

    def needs_reauth(self, credential: Credential, reason: str) -> None:
        """X-07: at once, and whoever can reconnect it hears about it."""
        if self.change(credential.credential_id, ConnectionStatus.NEEDS_REAUTH, reason) is None:
            return
        for member_id in self._people_to_tell(credential):
            self.store.notify(
                member_id, "reconnect_salesforce", REAUTH_MESSAGE.format(reason=reason)
            )

    def pause_for_quota(self, credential: Credential, until: datetime, reason: str) -> None:
        """X-16: throttled, not broken; work waits until `until`."""
        change = transition(credential.status, ConnectionStatus.PAUSED_QUOTA, reason)
        if change is not None:
            self.store.set_status(credential.credential_id, change, until)

    def resume_if_due(self, credential: Credential, now: datetime) -> Credential:
        """A paused connection whose pause is over is `connected` again."""
        if credential.status is not ConnectionStatus.PAUSED_QUOTA:
            return credential
        if credential.paused_until is not None and credential.paused_until > now:
            return credential
        before = self._status_before_pause(credential)
        self.change(credential.credential_id, before, "quota pause over")
        return self.store.credential(credential.credential_id)

    def _status_before_pause(self, credential: Credential) -> ConnectionStatus:
        """A pause ends in the state it interrupted (a degraded connection stays degraded)."""
        events = self.store.connection_events(credential.credential_id)
        paused = [e for e in events if e.to_status is ConnectionStatus.PAUSED_QUOTA]
        before = paused[-1].from_status if paused else None
        if before in (None, ConnectionStatus.PAUSED_QUOTA):
            return ConnectionStatus.CONNECTED
        return before

    def _people_to_tell(self, credential: Credential) -> list[int]:
        if credential.kind is CredentialKind.PERSONAL and credential.member_id is not None:
            return [credential.member_id]
        return [
            m.member_id
            for m in self.store.members(credential.team_id)
            if m.role is MemberRole.ADMIN
        ]
