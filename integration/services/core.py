"""The entry point: every use case wired to one store and one gateway."""

from __future__ import annotations

import time
from collections.abc import Callable

from integration.domain.model import RecordKind, SObject
from integration.salesforce.gateway import SalesforceGateway
from integration.services.activities import ActivityLogger
from integration.services.connect import PersonalConnections
from integration.services.connections import Connections
from integration.services.errors import ProfileOwnerRefused
from integration.services.health import ConnectionHealth
from integration.services.pull import Puller
from integration.services.push import Pusher
from integration.services.routing import Router
from integration.services.team_sync import TeamSync
from integration.services.worker import CHANGE_OWNER_JOB, PUSH_RECORD_JOB, OutboxWorker
from integration.storage.records import new_app_id
from integration.storage.rows import AppRecord
from integration.store import Store


class IntegrationCore:
    def __init__(
        self,
        store: Store,
        gateway: SalesforceGateway,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.health = ConnectionHealth(store)
        self.connections = Connections(store, gateway, self.health, sleep)
        self.personal = PersonalConnections(store, gateway, self.health, self.connections)
        self.team_sync = TeamSync(store, gateway, self.connections, self.health)
        self.router = Router(store, gateway, self.connections)
        self.pusher = Pusher(store, gateway, self.connections, self.router)
        self.activities = ActivityLogger(store, gateway, self.connections, self.router)
        self.puller = Puller(store, gateway, self.connections)
        self.worker = OutboxWorker(store, self.pusher, self.activities, health=self.health)

    def save_person(
        self,
        member_id: int,
        fields: dict[str, object],
        company_app_id: str | None = None,
        as_sobject: SObject | None = None,
        app_id: str | None = None,
    ) -> AppRecord:
        """Create or replace a person in the app (not pushed until `push` is called)."""
        member = self.store.member(member_id)
        return self.store.save_record(
            AppRecord(
                app_id or new_app_id("person"),
                member.team_id,
                RecordKind.PERSON,
                fields,
                member_id,
                None,
                company_app_id,
                as_sobject.value if as_sobject else None,
            )
        )

    def save_company(
        self, member_id: int, fields: dict[str, object], app_id: str | None = None
    ) -> AppRecord:
        member = self.store.member(member_id)
        return self.store.save_record(
            AppRecord(
                app_id or new_app_id("company"),
                member.team_id,
                RecordKind.COMPANY,
                fields,
                member_id,
            )
        )

    def push(self, member_id: int, app_id: str) -> int:
        """Queue a push of one record (create or update); returns the outbox job id."""
        team_id = self.store.member(member_id).team_id
        return self.store.enqueue(team_id, PUSH_RECORD_JOB, app_id, member_id)

    def change_owner(self, member_id: int, app_id: str, new_owner_member_id: int) -> int:
        """Queue an owner change made in the app (S-11: it reaches Salesforce)."""
        team_id = self.store.member(member_id).team_id
        return self.store.enqueue(
            team_id, CHANGE_OWNER_JOB, app_id, member_id, argument=str(new_owner_member_id)
        )

    def set_profile_owner(self, member_id: int, sf_user_id: str | None) -> None:
        """S-10: the Salesforce user a member without a personal login picks as owner of what
        they push. It must be an active user of the team's org, checked through team sync;
        ``None`` clears the choice."""
        if sf_user_id is None:
            self.store.set_profile_owner(member_id, None)
            return
        team_sync = self.store.team_sync_credential(self.store.member(member_id).team_id)
        if team_sync is None:
            raise ProfileOwnerRefused("connect team sync first: it checks the chosen user")
        user = self.connections.call(
            team_sync.credential_id, lambda s: self.gateway.get_user(s, sf_user_id)
        )
        if user is None or not user.can_own:
            raise ProfileOwnerRefused(
                f"{sf_user_id} is not an active Salesforce user of the team's org"
            )
        self.store.set_profile_owner(member_id, user.user_id)
