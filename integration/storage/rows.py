"""What the store hands back: typed rows, tokens already decrypted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from integration.domain.model import (
    ActivityKind,
    AuthMethod,
    ConnectionStatus,
    CredentialKind,
    MemberRole,
    RecordKind,
)
from integration.domain.ownership import CredentialState


@dataclass(frozen=True)
class Team:
    team_id: int
    name: str
    external_id_field: str


@dataclass(frozen=True)
class Member:
    member_id: int
    team_id: int
    name: str
    email: str
    role: MemberRole
    profile_owner_id: str | None = None


@dataclass(frozen=True)
class Credential:
    """A Salesforce connection: TS (member_id None or the picking admin's) or a member's PC."""

    credential_id: int
    team_id: int
    member_id: int | None
    kind: CredentialKind
    auth_method: AuthMethod
    status: ConnectionStatus
    status_reason: str
    org_id: str
    sf_user_id: str
    username: str
    instance_url: str
    identity_url: str
    access_token: str | None
    refresh_token: str | None
    token_version: int
    source_member_id: int | None = None
    paused_until: datetime | None = None

    @property
    def state(self) -> CredentialState:
        return CredentialState(self.credential_id, self.kind, self.status, self.sf_user_id)


@dataclass(frozen=True)
class AppRecord:
    """A person or company in the sales app, with its stable app id (the external id value)."""

    app_id: str
    team_id: int
    kind: RecordKind
    fields: dict[str, object]
    owner_member_id: int | None = None
    owner_sf_user_id: str | None = None
    company_app_id: str | None = None
    preferred_sobject: str | None = None


@dataclass(frozen=True)
class Link:
    app_id: str
    sobject: str
    sf_id: str


@dataclass(frozen=True)
class Activity:
    app_id: str
    team_id: int
    member_id: int
    kind: ActivityKind
    person_app_id: str
    subject: str
    body: str
    occurred_at: datetime
    duration_minutes: int = 30
    sobject: str | None = None
    sf_id: str | None = None


@dataclass(frozen=True)
class OutboxJob:
    job_id: int
    team_id: int
    job: str
    subject_app_id: str
    member_id: int
    argument: str | None
    waits_for_app_id: str | None
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str


@dataclass(frozen=True)
class SyncLogEntry:
    entry_id: int
    team_id: int
    level: str
    sobject: str
    record: str
    direction: str
    acting_credential_id: int | None
    error_code: str
    message: str
    retryable: bool
    attempts: int
    outbox_id: int | None
    resolved: bool


@dataclass(frozen=True)
class ConnectionEvent:
    credential_id: int
    event: str
    from_status: ConnectionStatus | None
    to_status: ConnectionStatus
    reason: str


@dataclass(frozen=True)
class Notification:
    member_id: int
    kind: str
    message: str


@dataclass(frozen=True)
class NewCredential:
    """What connecting a credential stores."""

    team_id: int
    member_id: int | None
    kind: CredentialKind
    auth_method: AuthMethod
    org_id: str
    sf_user_id: str
    username: str
    instance_url: str
    identity_url: str
    access_token: str
    refresh_token: str | None
    source_member_id: int | None = None
    status: ConnectionStatus = ConnectionStatus.CONNECTED
    extra: dict[str, str] = field(default_factory=dict)
