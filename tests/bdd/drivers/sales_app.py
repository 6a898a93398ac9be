"""The sales app's side of a scenario: the real integration core, wired to the live mock.

Nothing here re-implements a rule: every call goes through ``integration``'s services, over
HTTP, with the core's own Salesforce adapter. The driver only turns the names QA writes
(members "Alice", records "Jane Doe") into the ids the core uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from integration.storage.rows import AppRecord, Credential, Member

from .browser import AuthorizeOutcome, Browser
from .salesforce import CALLBACK_URL, PASSWORD, SalesforceOrg, instance_host


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
    """A push as the member experienced it: the job's report and the pushed record."""

    member: str
    name: str
    sobject: str
    app_id: str
    reports: list[JobReport]
    result: PushResult | None = None


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
        self.core = build_core(settings, http=self.http, clock=self.clock)
        self.team_id = self.core.store.create_team("Acme").team_id

    # -- members -------------------------------------------------------------------------
    def add_member(self, name: str, role: str = "rep") -> Member:
        member = self.core.store.add_member(
            self.team_id, name, f"{name.lower()}@app.example", MemberRole(role)
        )
        self.members[name] = member
        return member

    def member(self, name: str) -> Member:
        assert name in self.members, f"no member {name!r}; the team has {sorted(self.members)}"
        return self.members[name]

    def admin(self) -> Member:
        admins = [m for m in self.members.values() if m.role == MemberRole.ADMIN]
        return admins[0] if admins else self.add_member("Admin", "admin")

    # -- connecting ----------------------------------------------------------------------
    def connect_personal(
        self, name: str, username: str, allow: bool = True, password: str = PASSWORD
    ) -> PersonalConnection:
        """The member clicks "Connect", logs in to Salesforce and answers the consent page."""
        start = self.core.personal.start(self.member(name).member_id)
        page = Browser(requests.Session(), CALLBACK_URL).authorize(
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

    def connect_team_sync(self, how: str, who: str | None = None) -> TeamSyncOutcome:
        """Team sync by client credentials, JWT bearer (``who`` = username) or a member's login."""
        admin = self.admin().member_id
        if how == "client credentials":
            return self.core.team_sync.connect_client_credentials(admin)
        if how == "jwt":
            assert who is not None
            return self.core.team_sync.connect_jwt(admin, who)
        assert who is not None
        return self.core.team_sync.connect_from_member(admin, self.member(who).member_id)

    def personal_credential(self, name: str) -> Credential | None:
        return self.core.store.personal_credential(self.member(name).member_id)

    def team_sync_credential(self) -> Credential | None:
        return self.core.store.team_sync_credential(self.team_id)

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
        assert name in self.records, f"no app record {name!r}; known {sorted(self.records)}"
        return self.core.store.record(self.records[name].app_id)

    def push(self, member: str, name: str, sobject: str) -> PushOutcome:
        """Queue the push and let the worker run everything that is due."""
        record = self.record(name)
        self.core.push(self.member(member).member_id, record.app_id)
        reports = self.core.worker.drain()
        return PushOutcome(member, name, sobject, record.app_id, reports)

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

    def advance(self, delta: timedelta) -> None:
        self.clock.offset += delta
