"""The sales app's side of a scenario: the real integration core, wired to the live mock.

Nothing here re-implements a rule: every call goes through ``integration``'s services, over
HTTP, with the core's own Salesforce adapter. The driver only turns the names QA writes
(members "Alice", records "Jane Doe") into the ids the core uses.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from cryptography.fernet import Fernet

from integration.config import CoreSettings, build_core
from integration.domain.model import ActivityKind, MemberRole, PullSettings, PushSettings, SObject
from integration.salesforce.oauth import OAuthSettings
from integration.services.connect import ConnectOutcome
from integration.services.core import IntegrationCore
from integration.services.push import PushResult
from integration.services.team_sync import TeamSyncOutcome
from integration.services.worker import JobReport
from integration.storage.rows import AppRecord, Credential, Member, SyncLogEntry

from .browser import AuthorizeOutcome, Browser
from .salesforce import CALLBACK_URL, PASSWORD, SalesforceOrg, instance_host, loopback_session
from .wire import Wire


def record_name(record: AppRecord) -> str:
    """The name QA uses for an app record: "First Last" for a person, the name of a company."""
    fields = record.fields
    if fields.get("name"):
        return str(fields["name"])
    return " ".join(str(fields[k]) for k in ("first_name", "last_name") if fields.get(k))


def final_reports(reports: list[JobReport]) -> list[JobReport]:
    """The last report of each job (a job may be retried within one drain)."""
    last: dict[int, JobReport] = {}
    for report in reports:
        last[report.job_id] = report
    return list(last.values())


class ScenarioClock:
    """The core's clock; moved together with the org's clock by the time steps."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class PersonalConnection:
    """What a member went through connecting a personal credential."""

    browser: AuthorizeOutcome
    outcome: ConnectOutcome | None


@dataclass
class PushOutcome:
    """A push as the member started it: the record, its outbox job and the first run's reports.

    Its outcome is read from the outbox when a Then asks (``SalesApp.job_states``), so a push
    retried by a later worker run shows how it ended, not how its first attempt went.
    """

    member: str
    name: str
    sobject: str
    app_id: str
    reports: list[JobReport]
    result: PushResult | None = None
    job_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class JobState:
    """An outbox job as it stands now: state, and the error code of its last failure."""

    job_id: int
    job: str
    state: str
    error_code: str
    message: str
    attempts: int


@dataclass
class SalesApp:
    """One team of the sales app, its members and records, over one core."""

    sf: SalesforceOrg
    http: requests.Session
    private_key_pem: str
    clock: ScenarioClock = field(default_factory=ScenarioClock)
    members: dict[str, Member] = field(default_factory=dict)
    records: dict[str, AppRecord] = field(default_factory=dict)
    activities: dict[str, str] = field(default_factory=dict)
    team_sync_ids: dict[int, list[int]] = field(default_factory=dict)
    wire: Wire = field(default_factory=Wire)
    core: IntegrationCore = field(init=False)
    team_id: int = field(init=False)

    def __post_init__(self) -> None:
        settings = CoreSettings(
            oauth=OAuthSettings(
                login_host=self.sf.base_url,
                client_id=self.sf.app["client_id"],
                client_secret=self.sf.app["client_secret"],
                redirect_uri=CALLBACK_URL,
                private_key_pem=self.private_key_pem,
                my_domain=instance_host(self.sf.base_url),
            ),
            encryption_key=Fernet.generate_key().decode(),
        )
        self.wire.attach(self.http)
        self.core = build_core(settings, http=self.http, clock=self.clock)
        self.team_id = self.core.store.create_team("Acme").team_id

    # -- members -------------------------------------------------------------------------
    def add_member(self, name: str, role: str = "rep", team_id: int | None = None) -> Member:
        member = self.core.store.add_member(
            team_id or self.team_id, name, f"{name.lower()}@app.example", MemberRole(role)
        )
        self.members[name] = member
        return member

    def member(self, name: str) -> Member:
        assert name in self.members, f"no member {name!r}; the team has {sorted(self.members)}"
        return self.members[name]

    def admin(self, team_id: int | None = None) -> Member:
        team = team_id or self.team_id
        admins = [
            m for m in self.members.values() if m.role == MemberRole.ADMIN and m.team_id == team
        ]
        return admins[0] if admins else self.add_member("Admin", "admin", team)

    def add_team(self, name: str) -> int:
        """Another team of the same sales app (same core, same store)."""
        return self.core.store.create_team(name).team_id

    # -- connecting ----------------------------------------------------------------------
    def connect_personal(
        self, name: str, username: str, allow: bool = True, password: str = PASSWORD
    ) -> PersonalConnection:
        """The member clicks "Connect", logs in to Salesforce and answers the consent page."""
        start = self.core.personal.start(self.member(name).member_id)
        page = Browser(loopback_session(), CALLBACK_URL).authorize(
            start.authorization_url, username, password, allow=allow
        )
        if page.callback is None:
            return PersonalConnection(page, None)
        callback = page.callback
        outcome = self.core.personal.complete(
            callback.get("state", start.state),
            code=callback.get("code"),
            error=callback.get("error"),
            error_description=callback.get("error_description"),
        )
        return PersonalConnection(page, outcome)

    def connect_team_sync(
        self, how: str, who: str | None = None, admin_name: str | None = None
    ) -> TeamSyncOutcome:
        """Team sync by client credentials, JWT bearer (``who`` = username) or a member's login;
        ``admin_name`` picks the admin (and so the team), else the first team's admin."""
        admin = self.member(admin_name) if admin_name else self.admin()
        if how == "client credentials":
            outcome = self.core.team_sync.connect_client_credentials(admin.member_id)
        elif how == "jwt":
            assert who is not None
            outcome = self.core.team_sync.connect_jwt(admin.member_id, who)
        else:
            assert who is not None
            source = self.member(who).member_id
            outcome = self.core.team_sync.connect_from_member(admin.member_id, source)
        self.team_sync_ids.setdefault(admin.team_id, []).append(outcome.credential_id)
        return outcome

    def team_sync_events(self, team_id: int | None = None) -> list[str]:
        """Every status change of every team sync credential the team had, in order."""
        events = [
            event
            for credential_id in self.team_sync_ids.get(team_id or self.team_id, [])
            for event in self.core.store.connection_events(credential_id)
        ]
        return [e.to_status.value for e in events]

    def personal_credential(self, name: str) -> Credential | None:
        return self.core.store.personal_credential(self.member(name).member_id)

    def team_sync_credential(self) -> Credential | None:
        """The team's team sync credential; once disconnected, the last one it had."""
        current = self.core.store.team_sync_credential(self.team_id)
        known = self.team_sync_ids.get(self.team_id, [])
        if current is None and known:
            return self.core.store.credential(known[-1])
        return current

    # -- records -------------------------------------------------------------------------
    def save(
        self,
        member: str,
        sobject: str,
        name: str,
        extra: dict[str, Any] | None = None,
        company: str | None = None,
    ) -> AppRecord:
        member_id = self.member(member).member_id
        fields = dict(extra or {})
        if sobject == "Account":
            record = self.core.save_company(member_id, {"name": name, **fields})
        else:
            first, _, last = name.rpartition(" ")
            values = {"first_name": first or None, "last_name": last, **fields}
            company_id = self.company(member, company).app_id if company else None
            record = self.core.save_person(
                member_id,
                values,
                company_app_id=company_id,
                as_sobject=SObject(sobject) if sobject != "Person" else None,
            )
        self.records[name] = record
        return record

    def company(self, member: str, name: str) -> AppRecord:
        if name not in self.records:
            self.records[name] = self.core.save_company(
                self.member(member).member_id, {"name": name}
            )
        return self.records[name]

    def record(self, name: str) -> AppRecord:
        """An app record by name: one made in the scenario, or one the pull brought in."""
        if name in self.records:
            return self.core.store.record(self.records[name].app_id)
        pulled = [r for r in self.core.store.records(self.team_id) if record_name(r) == name]
        known = sorted({*self.records, *(record_name(r) for r in pulled)})
        assert len(pulled) == 1, f"no app record named {name!r} (the app has {known})"
        self.records[name] = pulled[0]
        return pulled[0]

    def edit(self, name: str, changes: dict[str, object]) -> AppRecord:
        """Change app fields of a record (made here or pulled) as a member would."""
        record = self.record(name)
        edited = replace(record, fields={**record.fields, **changes})
        self.records[name] = self.core.store.save_record(edited)
        return self.records[name]

    def sobject_of(self, name: str) -> str:
        """The Salesforce object a record is linked to, else the one it would be pushed as."""
        record = self.record(name)
        link = self.core.store.link_of(self.team_id, record.app_id)
        if link is not None:
            return link.sobject
        return record.preferred_sobject or ("Account" if "name" in record.fields else "Contact")

    def push(self, member: str, name: str, sobject: str) -> PushOutcome:
        """Queue the push and let the worker run everything that is due."""
        record = self.record(name)
        job_id = self.core.push(self.member(member).member_id, record.app_id)
        reports = self.core.worker.drain()
        return PushOutcome(member, name, sobject, record.app_id, reports, job_ids=(job_id,))

    def job_states(self, job_ids: tuple[int, ...], reports: list[JobReport]) -> list[JobState]:
        """Outbox jobs as they stand now (and the error code they last logged)."""
        ids = dict.fromkeys([*job_ids, *(r.job_id for r in reports)])
        states = []
        for job_id in ids:
            job = self.core.store.job(job_id)
            logged = [e for e in self.core.store.sync_log(job.team_id) if e.outbox_id == job_id]
            code, _, message = job.last_error.partition(": ")
            if logged and job.state == "failed":
                code, message = logged[-1].error_code, logged[-1].message
            states.append(JobState(job_id, job.job, job.state, code, message, job.attempts))
        return states

    def link(self, name: str) -> str | None:
        link = self.core.store.link_of(self.team_id, self.record(name).app_id)
        return link.sf_id if link else None

    def log_activity(self, member: str, kind: str, person: str, subject: str) -> list[JobReport]:
        logged = self.core.activities.log(
            self.member(member).member_id, ActivityKind(kind), self.record(person).app_id, subject
        )
        self.activities[subject] = logged.app_id
        return self.core.worker.drain()

    def activity_id(self, subject: str) -> str:
        assert subject in self.activities, (
            f"no activity {subject!r} was logged; known {sorted(self.activities)}"
        )
        return self.activities[subject]

    def set_push_settings(self, **changes: Any) -> None:
        current = self.core.store.push_settings(self.team_id)
        values = {**current.__dict__, **changes}
        self.core.store.set_push_settings(self.team_id, PushSettings(**values))

    def set_pull_settings(self, objects: frozenset[SObject], filters: dict[SObject, str]) -> None:
        self.core.store.set_pull_settings(self.team_id, PullSettings(objects, filters))

    def log_field(self, entry: SyncLogEntry, field: str) -> str:
        """A sync-log entry's field as QA names it, as text."""
        if field == "acting user":
            if entry.acting_credential_id is None:
                return ""
            return self.core.store.credential(entry.acting_credential_id).username
        values = {
            "errorCode": entry.error_code,
            "retryable": "yes" if entry.retryable else "no",
            "attempts": str(entry.attempts),
            "object": entry.sobject,
            "direction": entry.direction,
            "level": entry.level,
        }
        return values[field]

    def time_to_next_retry(self) -> timedelta | None:
        """How long until the next pending job is due (None: nothing is pending)."""
        pending = [
            job.next_attempt_at
            for team_id in {m.team_id for m in self.members.values()} | {self.team_id}
            for job in self.core.store.jobs(team_id)
            if job.state == "pending"
        ]
        if not pending:
            return None
        return max(min(pending) - self.core.store.now(), timedelta(seconds=1))

    def race_refreshes(self, name: str, count: int = 2) -> list[str]:
        """``count`` threads refresh the member's credential at once with the same stale
        token, as concurrent pushes would; returns what each got (a token or an error)."""
        credential = self.personal_credential(name)
        assert credential is not None, f"{name} has no personal credential"
        stale = credential.access_token or ""
        start = threading.Barrier(count)
        outcomes: list[str] = []

        def refresh() -> None:
            start.wait()
            try:
                session = self.core.connections.refresh(credential.credential_id, stale)
                outcomes.append(f"token {session.access_token[:8]}")
            except Exception as error:  # the outcome is what the scenario checks
                outcomes.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=refresh) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes

    def race_pushes(self, member: str, sobject: str, names: list[str]) -> PushOutcome:
        """Queue a push of each record, then run the jobs in parallel threads started at the
        same moment, as workers sharing the member's connection would."""
        member_id = self.member(member).member_id
        job_ids = tuple(self.core.push(member_id, self.record(n).app_id) for n in names)
        start = threading.Barrier(len(job_ids))
        reports: list[JobReport] = []

        def run(job_id: int) -> None:
            start.wait()
            reports.append(self.core.worker.run_job(job_id))

        threads = [threading.Thread(target=run, args=(job_id,)) for job_id in job_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        name = " and ".join(names)
        return PushOutcome(member, name, sobject, "", reports, job_ids=job_ids)

    def advance(self, delta: timedelta) -> None:
        self.clock.offset += delta
