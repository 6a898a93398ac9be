"""Incremental pull through team sync by SystemModstamp (S-11, S-12, A-09)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from integration.domain.model import ConnectionStatus, Direction, RecordKind, SObject
from integration.domain.ownership import ActingCredential
from integration.domain.pull_rules import (
    RecordRow,
    leads_without_contacts,
    member_index,
    owner_member,
    pull_filter,
    pull_order,
)
from integration.salesforce.errors import RequestLimitExceeded
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.rest import soql_quote
from integration.salesforce.types import Record
from integration.services.connections import Connections
from integration.services.errors import SyncFailure, TeamSyncMissing
from integration.services.routing import reported_as
from integration.storage.outbox import LogLine
from integration.storage.records import new_app_id
from integration.storage.rows import AppRecord, Credential
from integration.store import Store

SYSTEM_FIELDS = ("Id", "OwnerId", "SystemModstamp")
FIELD_NOT_READABLE = "FIELD_NOT_READABLE"


@dataclass
class PullReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped_leads: list[str] = field(default_factory=list)
    owner_changes: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    status: str = "completed"


class Puller:
    def __init__(self, store: Store, gateway: SalesforceGateway, connections: Connections) -> None:
        self.store = store
        self.gateway = gateway
        self.connections = connections
        self.health = connections.health

    def pull(self, team_id: int) -> PullReport:
        """Pull every object of the pull settings; quota pauses the pull (X-16)."""
        credential = self.store.team_sync_credential(team_id)
        if credential is None:
            raise TeamSyncMissing("team sync is not connected")
        report = PullReport()
        members = member_index(self.store.linked_personal_users(team_id))
        for sobject in pull_order(self.store.pull_settings(team_id)):
            try:
                rows = self._fetch(credential, sobject, report)
            except SyncFailure as failure:
                if isinstance(failure.cause, RequestLimitExceeded):
                    report.status = ConnectionStatus.PAUSED_QUOTA.value
                    return report
                self._log_failure(credential, failure, report)
                continue
            for row in rows:
                self._apply(team_id, sobject, row, members, report)
            if rows:
                newest = max(str(row["SystemModstamp"]) for row in rows)
                self.store.set_pull_mark(team_id, sobject.value, newest)
        return report

    def _fetch(self, credential: Credential, sobject: SObject, report: PullReport) -> list[Record]:
        acting = ActingCredential(credential.credential_id, credential.kind, credential.sf_user_id)
        with reported_as(sobject, acting):
            rows = self._changed_rows(credential, sobject)
            if sobject is SObject.LEAD:
                rows = self._without_contacts(credential, rows, report)
        return rows

    def _log_failure(
        self, credential: Credential, failure: SyncFailure, report: PullReport
    ) -> None:
        cause = failure.cause
        code = getattr(cause, "error_code", None) or getattr(cause, "error", "ERROR")
        self.store.log(
            LogLine(
                credential.team_id,
                failure.sobject,
                "*",
                Direction.PULL.value,
                str(code),
                str(cause),
                acting_credential_id=credential.credential_id,
                retryable=bool(getattr(cause, "retryable", False)),
                attempts=1,
            )
        )
        report.failed.append(f"{failure.sobject}: {code}")
        self.health.lost_permission(credential.credential_id, str(code), str(cause))

    def _changed_rows(self, credential: Credential, sobject: SObject) -> list[Record]:
        mapping = self.store.field_mapping(credential.team_id, sobject)
        names = list(dict.fromkeys([*SYSTEM_FIELDS, *mapping.values()]))
        if sobject is SObject.CONTACT:
            names.append("AccountId")
        names = self._readable(credential, sobject, names)
        conditions = []
        mark = self.store.pull_mark(credential.team_id, sobject.value)
        if mark:
            conditions.append(f"SystemModstamp >= {soql_datetime(mark)}")
        extra = pull_filter(self.store.pull_settings(credential.team_id), sobject)
        if extra:
            conditions.append(f"({extra})")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        soql = f"SELECT {', '.join(names)} FROM {sobject.value}{where} ORDER BY SystemModstamp, Id"
        return self.connections.call(
            credential.credential_id, lambda s: self.gateway.query(s, soql)
        )

    def _readable(self, credential: Credential, sobject: SObject, names: list[str]) -> list[str]:
        """S-02 / S-12: fields team sync cannot read are left out of the pull (a query naming
        one fails whole with INVALID_FIELD); the sync log says so once."""
        access = self.connections.call(
            credential.credential_id, lambda s: self.gateway.describe(s, sobject.value)
        )
        hidden = [name for name in names if name not in access.fields and name != "Id"]
        if hidden:
            self._log_hidden(credential, sobject, hidden)
        return [name for name in names if name not in hidden]

    def _log_hidden(self, credential: Credential, sobject: SObject, hidden: list[str]) -> None:
        message = (
            ", ".join(f"{sobject.value}.{name}" for name in hidden)
            + f": no read permission for {credential.username}; pulled without "
            + ("it" if len(hidden) == 1 else "them")
        )
        logged = self.store.sync_log(credential.team_id)
        if any(e.error_code == FIELD_NOT_READABLE and e.message == message for e in logged):
            return
        self.store.log(
            LogLine(
                credential.team_id,
                sobject.value,
                "*",
                Direction.PULL.value,
                FIELD_NOT_READABLE,
                message,
                level="warning",
                acting_credential_id=credential.credential_id,
            )
        )

    def _without_contacts(
        self, credential: Credential, leads: list[Record], report: PullReport
    ) -> list[Record]:
        """A-09: a lead whose email also belongs to a Salesforce contact stays out."""
        emails = sorted({str(lead["Email"]) for lead in leads if lead.get("Email")})
        if not emails:
            return leads
        soql = (
            "SELECT Email FROM Contact WHERE Email IN ("
            + ", ".join(soql_quote(email) for email in emails)
            + ")"
        )
        contacts = self.connections.call(
            credential.credential_id, lambda s: self.gateway.query(s, soql)
        )
        kept, dropped = leads_without_contacts(leads, [str(c.get("Email") or "") for c in contacts])
        report.skipped_leads.extend(str(lead["Id"]) for lead in dropped)
        return [dict(lead) for lead in kept]

    def _apply(
        self,
        team_id: int,
        sobject: SObject,
        row: RecordRow,
        members: dict[str, int],
        report: PullReport,
    ) -> None:
        """Create or update the app copy; its owner is the member linked to OwnerId (S-11)."""
        mapping = self.store.field_mapping(team_id, sobject)
        pulled = AppRecord(
            app_id=new_app_id("sf"),
            team_id=team_id,
            kind=RecordKind.COMPANY if sobject is SObject.ACCOUNT else RecordKind.PERSON,
            fields={app: row[sf] for app, sf in mapping.items() if sf in row},
            owner_member_id=owner_member(row.get("OwnerId"), members),
            owner_sf_user_id=_text(row.get("OwnerId")),
            company_app_id=self._company_app_id(team_id, row.get("AccountId")),
            preferred_sobject=sobject.value,
        )
        link = self.store.link_by_sf_id(team_id, str(row["Id"]))
        if link is None:
            self.store.save_record(pulled)
            self.store.link(team_id, pulled.app_id, sobject.value, str(row["Id"]))
            report.created.append(pulled.app_id)
        else:
            self._update_copy(self.store.record(link.app_id), pulled, report)

    def _update_copy(self, current: AppRecord, pulled: AppRecord, report: PullReport) -> None:
        """Salesforce's values win, except over app edits still waiting in the outbox: those
        are newer and on their way (never lose work)."""
        unsent = self.store.unsent_jobs(current.app_id)
        keep_owner = "change_owner" in unsent
        if pulled.owner_sf_user_id != current.owner_sf_user_id and not keep_owner:
            report.owner_changes.append(current.app_id)
        fields = (
            {**pulled.fields, **current.fields}
            if "push_record" in unsent
            else {**current.fields, **pulled.fields}
        )
        owner = current if keep_owner else pulled
        merged = replace(
            current,
            fields=fields,
            owner_member_id=owner.owner_member_id,
            owner_sf_user_id=owner.owner_sf_user_id,
            company_app_id=pulled.company_app_id or current.company_app_id,
        )
        self.store.save_record(merged)
        report.updated.append(current.app_id)

    def _company_app_id(self, team_id: int, account_id: object) -> str | None:
        if not isinstance(account_id, str) or not account_id:
            return None
        link = self.store.link_by_sf_id(team_id, account_id)
        return link.app_id if link else None


def soql_datetime(modstamp: str) -> str:
    """`2024-05-20T20:49:32.000+0000` -> the SOQL literal `2024-05-20T20:49:32Z`."""
    return modstamp[:19] + "Z"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
