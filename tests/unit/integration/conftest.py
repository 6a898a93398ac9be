"""Fixtures for the integration core's unit tests: a store, the fake gateway, a wired core."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

_spec = importlib.util.spec_from_file_location(
    "integration_fakes", Path(__file__).with_name("fakes.py")
)
assert _spec is not None and _spec.loader is not None
fakes = importlib.util.module_from_spec(_spec)
sys.modules["integration_fakes"] = fakes
_spec.loader.exec_module(fakes)

from integration.domain.model import MemberRole  # noqa: E402
from integration.services.core import IntegrationCore  # noqa: E402
from integration.store import Store  # noqa: E402


class ManualClock:
    """A clock tests move by hand; nothing sleeps."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def store(clock: ManualClock) -> Store:
    return Store(":memory:", Fernet.generate_key(), clock)


@pytest.fixture
def salesforce() -> fakes.FakeSalesforce:  # type: ignore[name-defined]
    return fakes.FakeSalesforce()


@pytest.fixture
def core(store: Store, salesforce: fakes.FakeSalesforce) -> IntegrationCore:  # type: ignore[name-defined]
    return IntegrationCore(store, salesforce, sleep=lambda seconds: None)


class World:
    """Team Acme: admin Ada, reps Alice and Bob; team sync is int@acme over JWT."""

    def __init__(self, core: IntegrationCore, salesforce: fakes.FakeSalesforce) -> None:  # type: ignore[name-defined]
        self.core = core
        self.store = core.store
        self.salesforce = salesforce
        team = self.store.create_team("Acme")
        self.team_id = team.team_id
        self.admin = self.store.add_member(team.team_id, "Ada", "ada@acme.test", MemberRole.ADMIN)
        self.alice = self.store.add_member(team.team_id, "Alice", "alice@acme.test")
        self.bob = self.store.add_member(team.team_id, "Bob", "bob@acme.test")
        salesforce.add_user("int@acme", view_all_data=True, api_only=True)
        for username in ("alice@acme", "bob@acme", "carol@acme"):
            salesforce.add_user(username)
        salesforce.jwt_users.add("int@acme")

    def user_id(self, username: str) -> str:
        return str(self.salesforce.user(username).user_id)

    def connect_team_sync(self) -> int:
        outcome = self.core.team_sync.connect_jwt(self.admin.member_id, "int@acme")
        return outcome.credential_id

    def connect_personal(self, member_id: int, username: str) -> int:
        start = self.core.personal.start(member_id)
        outcome = self.core.personal.complete(start.state, code=self.salesforce.code_for(username))
        assert outcome.connected, f"connecting {username} failed: {outcome.message}"
        assert outcome.credential_id is not None
        return outcome.credential_id


@pytest.fixture
def world(core: IntegrationCore, salesforce: fakes.FakeSalesforce) -> World:  # type: ignore[name-defined]
    return World(core, salesforce)
