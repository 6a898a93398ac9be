"""Connecting the team sync credential and its permission preflight (S-01..S-04, S-02)."""

from __future__ import annotations

from dataclasses import dataclass

from integration.domain.model import (
    ActivityKind,
    AuthMethod,
    ConnectionStatus,
    CredentialKind,
    MemberRole,
    SObject,
)
from integration.domain.preflight import (
    ACTIVITY_FIELDS,
    PermissionGap,
    object_gaps,
    view_all_gaps,
)
from integration.salesforce.errors import PermissionDenied, RecordError
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.types import Identity, PreflightReads, TokenGrant, UserPermissions
from integration.services.connect import credential_from_grant, revoke_quietly
from integration.services.connections import Connections
from integration.services.errors import MemberNotConnected, NotAllowed
from integration.services.health import ConnectionHealth
from integration.storage.rows import Credential, NewCredential
from integration.store import Store

DEDICATED_USER_ADVICE = (
    "{username} is {name}'s everyday Salesforce login; a dedicated integration user is "
    "recommended for team sync."
)
PERSON_LOGIN_ADVICE = (
    "{username} is a person's Salesforce login (not API Only, not a profile marked as "
    "integration); a dedicated integration user is recommended for team sync."
)
UNVERIFIED_ADVICE = (
    "API Enabled and View All could not be read for {username} "
    "(reading permission sets needs View Setup and Configuration)."
)


FROZEN_OWNERS_HIDDEN = PermissionGap(
    "User", None, "cannot read UserLogin: frozen owners cannot be detected"
)


@dataclass(frozen=True)
class PreflightReport:
    status: ConnectionStatus
    gaps: tuple[PermissionGap, ...]
    advisories: tuple[str, ...] = ()

    @property
    def lines(self) -> list[str]:
        return [str(gap) for gap in self.gaps]


@dataclass(frozen=True)
class TeamSyncOutcome:
    credential_id: int
    username: str
    report: PreflightReport


class TeamSync:
    def __init__(
        self,
        store: Store,
        gateway: SalesforceGateway,
        connections: Connections,
        health: ConnectionHealth,
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.connections = connections
        self.health = health

    def connect_from_member(self, admin_id: int, source_member_id: int) -> TeamSyncOutcome:
        """Pick a Salesforce account a member already connected (S-03 advisory applies)."""
        team_id = self._admin_team(admin_id)
        if self.store.member(source_member_id).team_id != team_id:
            raise NotAllowed("that member belongs to another team")
        personal = self.store.personal_credential(source_member_id)
        if personal is None or personal.status is ConnectionStatus.DISCONNECTED:
            raise MemberNotConnected("that member has not connected a Salesforce account")
        new = NewCredential(
            team_id,
            admin_id,
            CredentialKind.TEAM_SYNC,
            AuthMethod.WEB_SERVER,
            personal.org_id,
            personal.sf_user_id,
            personal.username,
            personal.instance_url,
            personal.identity_url,
            "",
            None,
            source_member_id=source_member_id,
        )
        return self._replace(team_id, new)

    def connect_jwt(self, admin_id: int, username: str) -> TeamSyncOutcome:
        """Server-to-server: JWT bearer for a dedicated integration user."""
        team_id = self._admin_team(admin_id)
        grant = self.gateway.jwt_bearer(username)
        return self._replace(team_id, self._new(team_id, admin_id, AuthMethod.JWT_BEARER, grant))

    def connect_client_credentials(self, admin_id: int) -> TeamSyncOutcome:
        """Server-to-server: client credentials; tokens act as the app's run-as user."""
        team_id = self._admin_team(admin_id)
        grant = self.gateway.client_credentials()
        method = AuthMethod.CLIENT_CREDENTIALS
        return self._replace(team_id, self._new(team_id, admin_id, method, grant))

    def disconnect(self, admin_id: int) -> None:
        team_id = self._admin_team(admin_id)
        current = self.store.team_sync_credential(team_id)
        if current is not None:
            self._retire(current, "disconnected by an admin")

    def preflight(self, team_id: int) -> PreflightReport:
        """S-02: check every synced object and mapped field as the TS user; set the status."""
        return self._preflight(team_id)[0]

    def _preflight(self, team_id: int) -> tuple[PreflightReport, PreflightReads]:
        credential = self.store.team_sync_credential(team_id)
        if credential is None:
            raise MemberNotConnected("no team sync credential")
        reads = self._read(credential)
        gaps, advisories = self._gaps(credential, reads)
        status = ConnectionStatus.DEGRADED if gaps else ConnectionStatus.CONNECTED
        reason = "; ".join(str(gap) for gap in gaps) or "preflight passed"
        if credential.status in (ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED):
            self.health.change(credential.credential_id, status, reason)
        current = self.store.credential(credential.credential_id).status
        return PreflightReport(current, tuple(gaps), tuple(advisories)), reads

    def _new(
        self, team_id: int, admin_id: int, method: AuthMethod, grant: TokenGrant
    ) -> NewCredential:
        identity = self.gateway.identity(grant)
        return credential_from_grant(
            team_id, admin_id, CredentialKind.TEAM_SYNC, method, identity, grant
        )

    def _replace(self, team_id: int, new: NewCredential) -> TeamSyncOutcome:
        previous = self.store.team_sync_credential(team_id)
        if previous is not None:
            self._retire(previous, "replaced by a new team sync credential")
        saved = self.store.add_credential(new)
        report, reads = self._preflight(team_id)
        advice = self._everyday_login_advice(saved, reads.permissions)
        report = PreflightReport(report.status, report.gaps, (*advice, *report.advisories))
        return TeamSyncOutcome(saved.credential_id, saved.username, report)

    def _retire(self, credential: Credential, reason: str) -> None:
        if credential.source_member_id is None:
            revoke_quietly(self.gateway, credential)
            self.store.clear_tokens(credential.credential_id)
        self.health.change(credential.credential_id, ConnectionStatus.DISCONNECTED, reason)

    def _everyday_login_advice(
        self, credential: Credential, permissions: UserPermissions | None
    ) -> list[str]:
        """S-03: allowed, but flagged, unless TS is a dedicated integration user: API Only
        (which the Salesforce Integration license's profile always is) or a profile the admin
        marked as integration. A member's own login is named as theirs. ``permissions`` are
        those the preflight just read as that user."""
        for other in self.store.credentials_for_login(credential.org_id, credential.sf_user_id):
            if other.kind is CredentialKind.PERSONAL and other.member_id is not None:
                name = self.store.member(other.member_id).name
                return [DEDICATED_USER_ADVICE.format(username=credential.username, name=name)]
        if permissions is None:
            return []  # unreadable: the preflight's own advisory says so
        marked = self.store.integration_profiles(credential.team_id)
        if permissions.api_only or permissions.profile_name in marked:
            return []
        return [PERSON_LOGIN_ADVICE.format(username=credential.username)]

    def _admin_team(self, admin_id: int) -> int:
        member = self.store.member(admin_id)
        if member.role is not MemberRole.ADMIN:
            raise NotAllowed(f"{member.name} is not an admin")
        return member.team_id

    def _read(self, credential: Credential) -> PreflightReads:
        """Everything the preflight checks, read as the TS user in one call."""
        needed = [sobject.value for sobject in self._needed(credential.team_id)]
        pulled = [sobject.value for sobject in self._pulled(credential.team_id)]
        return self.connections.call(
            credential.credential_id,
            lambda s: self.gateway.preflight_reads(s, credential.sf_user_id, needed, pulled),
        )

    def _gaps(
        self, credential: Credential, reads: PreflightReads
    ) -> tuple[list[PermissionGap], list[str]]:
        team = self.store.team(credential.team_id)
        gaps: list[PermissionGap] = []
        for sobject, fields in self._needed(credential.team_id).items():
            gaps.extend(self._object_gaps(reads, sobject, fields, team.external_id_field))
        pulled = self._pulled(credential.team_id)
        permissions = reads.permissions
        gaps = list(dict.fromkeys(gaps))
        api_refused = any(gap.sobject == "User" for gap in gaps)
        if not api_refused and not self._reads_user_logins(reads):
            gaps.append(FROZEN_OWNERS_HIDDEN)
        if permissions is None:
            return gaps, [UNVERIFIED_ADVICE.format(username=credential.username)]
        if not permissions.api_enabled:
            gaps.append(PermissionGap("User", None, "API Enabled permission missing"))
        gaps.extend(view_all_gaps(pulled, permissions.view_all_records, permissions.view_all_data))
        return gaps, []

    def _reads_user_logins(self, reads: PreflightReads) -> bool:
        """X-01: frozen is UserLogin.IsFrozen, readable only with Manage Users."""
        return reads.user_logins_refused is None

    def _object_gaps(
        self, reads: PreflightReads, sobject: SObject, fields: list[str], external_id: str
    ) -> list[PermissionGap]:
        try:
            access = reads.access(sobject.value)
            return object_gaps(access, fields, external_id)
        except PermissionDenied as denied:
            return [PermissionGap("User", None, f"{denied.error_code}: {denied.message}")]
        except RecordError:
            return [PermissionGap(sobject.value, None, "no read permission")]

    def _pulled(self, team_id: int) -> list[SObject]:
        return sorted(self.store.pull_settings(team_id).objects)

    def _needed(self, team_id: int) -> dict[SObject, list[str]]:
        """Synced objects -> fields the core writes or reads on them."""
        needed: dict[SObject, list[str]] = {}
        for sobject in (SObject.ACCOUNT, SObject.CONTACT, SObject.LEAD):
            mapped = list(self.store.field_mapping(team_id, sobject).values())
            extra = ["OwnerId", "AccountId"] if sobject is SObject.CONTACT else ["OwnerId"]
            needed[sobject] = mapped + extra
        kinds = self.store.push_settings(team_id).activity_kinds
        if kinds - {ActivityKind.MEETING}:
            needed[SObject.TASK] = list(ACTIVITY_FIELDS[SObject.TASK])
        if ActivityKind.MEETING in kinds:
            needed[SObject.EVENT] = list(ACTIVITY_FIELDS[SObject.EVENT])
        return needed


__all__ = ["Identity", "PreflightReport", "TeamSync", "TeamSyncOutcome"]
