"""Logging activities: email, call, task, note, meeting -> Task or Event (S-07, S-13, A-16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from integration.domain.activities import (
    ActivityFacts,
    ActivityWrite,
    activity_write,
    update_fields,
)
from integration.domain.model import ActivityKind, Direction, SObject
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.rest import soql_quote
from integration.salesforce.types import UpsertResult
from integration.services.connections import Connections
from integration.services.errors import ParentNotSynced
from integration.services.routing import Route, Router, reported_as
from integration.storage.outbox import LogLine
from integration.storage.records import new_app_id
from integration.storage.rows import Activity
from integration.store import Store

LOG_ACTIVITY_JOB = "log_activity"


@dataclass(frozen=True)
class LoggedActivity:
    app_id: str
    queued: bool
    job_id: int | None = None


@dataclass(frozen=True)
class ActivityResult:
    app_id: str
    sobject: SObject
    sf_id: str
    acting_credential_id: int
    owner_id: str
    created: bool


class ActivityLogger:
    def __init__(
        self, store: Store, gateway: SalesforceGateway, connections: Connections, router: Router
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.connections = connections
        self.router = router

    def log(
        self,
        member_id: int,
        kind: ActivityKind,
        person_app_id: str,
        subject: str,
        body: str = "",
        occurred_at: datetime | None = None,
        duration_minutes: int = 30,
    ) -> LoggedActivity:
        """Save the activity and queue it when push settings allow its type (S-13)."""
        member = self.store.member(member_id)
        activity = self.store.save_activity(
            Activity(
                new_app_id("act"),
                member.team_id,
                member_id,
                kind,
                person_app_id,
                subject,
                body,
                occurred_at or self.store.now(),
                duration_minutes,
            )
        )
        if kind not in self.store.push_settings(member.team_id).activity_kinds:
            return LoggedActivity(activity.app_id, queued=False)
        linked = self.store.link_of(member.team_id, person_app_id) is not None
        job_id = self.store.enqueue(
            member.team_id,
            LOG_ACTIVITY_JOB,
            activity.app_id,
            member_id,
            waits_for_app_id=None if linked else person_app_id,
        )
        return LoggedActivity(activity.app_id, queued=True, job_id=job_id)

    def push(self, activity_app_id: str, retry: bool = False) -> ActivityResult:
        """Create the Task / Event with the member's PC when healthy, else TS (S-07).

        A retry (X-27) first looks for the record an earlier attempt may have committed and,
        if found, updates it without the create-only fields Salesforce refuses on update."""
        activity = self.store.activity(activity_app_id)
        who = self.store.link_of(activity.team_id, activity.person_app_id)
        if who is None:
            raise ParentNotSynced(activity.person_app_id)
        route = self.router.route(activity.member_id)
        facts = ActivityFacts(
            activity.kind,
            activity.subject,
            activity.body,
            activity.occurred_at,
            activity.duration_minutes,
        )
        what_id = self._what_id(activity)
        write = activity_write(
            facts, who.sf_id, SObject(who.sobject), what_id, route.owner.owner_id
        )
        with reported_as(write.sobject, route.acting):
            result = self._write(activity, write, route, retry)
        self.store.mark_activity_synced(activity.app_id, write.sobject.value, result.record_id)
        self._log_owner_fallback(activity, write, route)
        return ActivityResult(
            activity.app_id,
            write.sobject,
            result.record_id,
            route.acting.credential_id,
            route.owner.owner_id,
            result.created,
        )

    def _write(
        self, activity: Activity, write: ActivityWrite, route: Route, retry: bool
    ) -> UpsertResult:
        external_id = self.store.team(activity.team_id).external_id_field
        credential_id = route.acting.credential_id
        existing = (
            self._existing(credential_id, write, external_id, activity.app_id) if retry else None
        )
        if existing is not None:
            fields = update_fields(write)
            self.connections.call(
                credential_id,
                lambda s: self.gateway.update(s, write.sobject.value, existing, fields),
            )
            return UpsertResult(existing, created=False)
        return self.connections.call(
            credential_id,
            lambda s: self.gateway.upsert(
                s, write.sobject.value, external_id, activity.app_id, write.fields
            ),
        )

    def _existing(
        self, credential_id: int, write: ActivityWrite, external_id: str, app_id: str
    ) -> str | None:
        soql = f"SELECT Id FROM {write.sobject.value} WHERE {external_id} = {soql_quote(app_id)}"
        rows = self.connections.call(credential_id, lambda s: self.gateway.query(s, soql))
        return str(rows[0]["Id"]) if rows else None

    def _log_owner_fallback(self, activity: Activity, write: ActivityWrite, route: Route) -> None:
        """X-01 with S-07: an owner that fell back is said in the sync log, as for records."""
        for warning in route.owner.warnings:
            self.store.log(
                LogLine(
                    activity.team_id,
                    write.sobject.value,
                    activity.app_id,
                    Direction.PUSH.value,
                    "OWNER_FALLBACK",
                    warning,
                    level="warning",
                    acting_credential_id=route.acting.credential_id,
                )
            )

    def _what_id(self, activity: Activity) -> str | None:
        person = self.store.record(activity.person_app_id)
        if not person.company_app_id:
            return None
        company = self.store.link_of(activity.team_id, person.company_app_id)
        return company.sf_id if company else None
