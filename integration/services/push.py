"""Pushing Contacts, Leads and Accounts (S-06, S-10, S-13, S-14, X-03, X-04, X-18, X-27, A-03+)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from integration.domain.model import CredentialKind, Direction, RecordKind, SObject
from integration.domain.ownership import (
    CredentialState,
    NoUsableCredential,
    auto_assign_header,
    is_linked,
    update_payload,
)
from integration.domain.push_rules import (
    AccountCandidate,
    SkippedField,
    choose_account,
    lead_company,
    mapped_fields,
    may_create,
    target_sobject,
    writable_fields,
)
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.rest import soql_quote
from integration.salesforce.types import Record
from integration.services.connections import Connections
from integration.services.routing import Route, Router, reported_as
from integration.storage.outbox import LogLine
from integration.storage.rows import AppRecord, Credential
from integration.store import Store


@dataclass(frozen=True)
class PushResult:
    """`outcome`: created, updated, owner_changed or not_pushed (push settings said no)."""

    app_id: str
    outcome: str
    sobject: SObject
    sf_id: str | None = None
    acting_credential_id: int | None = None
    owner_id: str | None = None
    skipped_fields: tuple[SkippedField, ...] = ()
    warnings: tuple[str, ...] = ()


class Pusher:
    def __init__(
        self, store: Store, gateway: SalesforceGateway, connections: Connections, router: Router
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.connections = connections
        self.router = router

    def push(self, member_id: int, app_id: str) -> PushResult:
        """Create (by upsert on the external id) or update one app record in Salesforce."""
        record = self.store.record(app_id)
        settings = self.store.push_settings(record.team_id)
        link = self.store.link_of(record.team_id, app_id)
        sobject = target_sobject(
            record.kind, link.sobject if link else None, record.preferred_sobject, settings
        )
        if link is not None:
            return self._update(member_id, record, sobject, link.sf_id)
        if not may_create(sobject, settings):
            return PushResult(app_id, "not_pushed", sobject)
        return self._create(member_id, record, sobject)

    def change_owner(self, member_id: int, app_id: str, new_owner_member_id: int) -> PushResult:
        """The one update that sets OwnerId (X-04): the new owner member's Salesforce owner."""
        record = self.store.record(app_id)
        link = self.store.link_of(record.team_id, app_id)
        self.store.save_record(replace(record, owner_member_id=new_owner_member_id))
        route = self.router.route(member_id, owner_member_id=new_owner_member_id)
        sobject = SObject(link.sobject) if link else SObject.CONTACT
        if link is None:
            return PushResult(app_id, "not_pushed", sobject, owner_id=route.owner.owner_id)
        payload = update_payload({}, owner_change_to=route.owner.owner_id)
        with reported_as(sobject, route.acting):
            self.connections.call(
                route.acting.credential_id,
                lambda s: self.gateway.update(s, sobject.value, link.sf_id, payload, False),
            )
        self._log_warnings(record, sobject, route, ())
        return PushResult(
            app_id,
            "owner_changed",
            sobject,
            link.sf_id,
            route.acting.credential_id,
            route.owner.owner_id,
        )

    def _create(self, member_id: int, record: AppRecord, sobject: SObject) -> PushResult:
        route = self.router.route(member_id)
        payload = self._create_payload(member_id, record, sobject, route)
        with reported_as(sobject, route.acting):
            payload, skipped = self._writable(member_id, route, sobject, payload, creating=True)
            external_id = self.store.team(record.team_id).external_id_field
            result = self.connections.call(
                route.acting.credential_id,
                lambda s: self.gateway.upsert(
                    s,
                    sobject.value,
                    external_id,
                    record.app_id,
                    payload,
                    auto_assign_header(payload, sobject.value),
                ),
            )
        self._linked(record, sobject, result.record_id)
        warnings = self._log_warnings(record, sobject, route, skipped)
        return PushResult(
            record.app_id,
            "created",
            sobject,
            result.record_id,
            route.acting.credential_id,
            route.owner.owner_id,
            skipped,
            warnings,
        )

    def _create_payload(
        self, member_id: int, record: AppRecord, sobject: SObject, route: Route
    ) -> Record:
        """Mapped fields, the account (A-04, A-05), a Lead's Company, and the owner (S-06)."""
        payload = mapped_fields(record.fields, self.store.field_mapping(record.team_id, sobject))
        if sobject is SObject.CONTACT and record.company_app_id:
            account_id = self._account_id(member_id, record, route)
            if account_id is not None:
                payload["AccountId"] = account_id
        if sobject is SObject.LEAD and "Company" not in payload:
            payload["Company"] = lead_company(
                self.store.record(record.company_app_id).fields if record.company_app_id else None
            )
        payload["OwnerId"] = route.owner.owner_id
        return payload

    def _update(
        self, member_id: int, record: AppRecord, sobject: SObject, sf_id: str
    ) -> PushResult:
        route = self.router.route(member_id)
        payload = mapped_fields(record.fields, self.store.field_mapping(record.team_id, sobject))
        company = self.store.link_of(record.team_id, record.company_app_id or "")
        if sobject is SObject.CONTACT and company is not None:
            payload["AccountId"] = company.sf_id
        payload = update_payload(payload)
        with reported_as(sobject, route.acting):
            payload, skipped = self._writable(member_id, route, sobject, payload, creating=False)
            self.connections.call(
                route.acting.credential_id,
                lambda s: self.gateway.update(
                    s, sobject.value, sf_id, payload, auto_assign_header(payload, sobject.value)
                ),
            )
        bare_route = Route(route.acting, replace(route.owner, warnings=()))
        warnings = self._log_warnings(record, sobject, bare_route, skipped)
        return PushResult(
            record.app_id,
            "updated",
            sobject,
            sf_id,
            route.acting.credential_id,
            None,
            skipped,
            warnings,
        )

    def _writable(
        self, member_id: int, route: Route, sobject: SObject, payload: Record, creating: bool
    ) -> tuple[Record, tuple[SkippedField, ...]]:
        """X-18: describe as the acting user; fields it may not edit are left out. A member's
        own describe is remembered; while their PC needs reauth and TS acts (X-08), the
        remembered rights still apply, and with none known the push waits for a reconnect."""
        access = self.connections.call(
            route.acting.credential_id, lambda s: self.gateway.describe(s, sobject.value)
        )
        createable = frozenset(n for n, f in access.fields.items() if f.createable)
        updateable = frozenset(n for n, f in access.fields.items() if f.updateable)
        if route.acting.kind is CredentialKind.PERSONAL:
            self.store.remember_field_access(member_id, sobject.value, createable, updateable)
        elif is_linked(_state(self.store.personal_credential(member_id))):
            remembered = self.store.field_access(member_id, sobject.value)
            if remembered is None:
                raise NoUsableCredential(
                    "the member's field edit rights are unknown until they reconnect (X-18)"
                )
            createable, updateable = createable & remembered[0], updateable & remembered[1]
        return writable_fields(sobject.value, payload, createable if creating else updateable)

    def _account_id(self, member_id: int, person: AppRecord, route: Route) -> str | None:
        """A-04 / A-05: the company's linked account, the oldest match, or a new account;
        S-13 wins over A-04: with new accounts off, none (the contact goes without one)."""
        company = self.store.record(person.company_app_id or "")
        link = self.store.link_of(company.team_id, company.app_id)
        if link is not None:
            return link.sf_id
        name = str(company.fields.get("name", ""))
        soql = (
            f"SELECT Id, CreatedDate FROM Account WHERE Name = {soql_quote(name)}"
            " ORDER BY CreatedDate, Id"
        )
        with reported_as(SObject.ACCOUNT, route.acting):
            rows = self.connections.call(
                route.acting.credential_id, lambda s: self.gateway.query(s, soql)
            )
        chosen, others = choose_account(
            [AccountCandidate(str(r["Id"]), str(r.get("CreatedDate") or "")) for r in rows]
        )
        if chosen is None:
            if not may_create(SObject.ACCOUNT, self.store.push_settings(company.team_id)):
                self._log(
                    person,
                    SObject.CONTACT,
                    route,
                    "ACCOUNT_NOT_CREATED",
                    f"no Account named {name!r} in Salesforce and push settings do not create "
                    "new accounts: the contact is created without AccountId",
                    level="info",
                )
                return None
            return str(self._create(member_id, company, SObject.ACCOUNT).sf_id)
        self._linked(company, SObject.ACCOUNT, chosen.account_id)
        if others:
            self._log(
                company,
                SObject.ACCOUNT,
                route,
                "ACCOUNT_CANDIDATES",
                f"linked {chosen.account_id}; other candidates: "
                + ", ".join(o.account_id for o in others),
                level="info",
            )
        return chosen.account_id

    def _linked(self, record: AppRecord, sobject: SObject, sf_id: str) -> None:
        self.store.link(record.team_id, record.app_id, sobject.value, sf_id)
        self.store.wake_waiting(record.app_id)

    def _log_warnings(
        self, record: AppRecord, sobject: SObject, route: Route, skipped: tuple[SkippedField, ...]
    ) -> tuple[str, ...]:
        username = self.store.credential(route.acting.credential_id).username
        lines = [f"{field} for {username}" for field in skipped]
        for line in lines:
            self._log(record, sobject, route, "FIELD_SKIPPED", line)
        for warning in route.owner.warnings:
            self._log(record, sobject, route, "OWNER_FALLBACK", warning)
        return (*lines, *route.owner.warnings)

    def _log(
        self,
        record: AppRecord,
        sobject: SObject,
        route: Route,
        code: str,
        message: str,
        level: str = "warning",
    ) -> None:
        self.store.log(
            LogLine(
                record.team_id,
                sobject.value,
                record.app_id,
                Direction.PUSH.value,
                code,
                message,
                level=level,
                acting_credential_id=route.acting.credential_id,
            )
        )


def _state(credential: Credential | None) -> CredentialState | None:
    return None if credential is None else credential.state


__all__ = ["PushResult", "Pusher", "RecordKind"]
