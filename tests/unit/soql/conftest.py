"""An org with a small, known dataset, and callers to query it as different users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from mock_salesforce import org_admin
from mock_salesforce.pipeline.sessions import security_for
from mock_salesforce.security import EffectivePermissions, SecurityEvaluator
from mock_salesforce.soql import engine
from mock_salesforce.store import OrgStore

NOW = datetime(2024, 5, 15, 12, 0, tzinfo=UTC)


@dataclass
class Caller:
    """What the engine needs of an API session."""

    org: OrgStore
    user_id: str

    @property
    def security(self) -> SecurityEvaluator:
        return security_for(self.org)

    @property
    def perms(self) -> EffectivePermissions:
        return self.security.permissions(self.user_id)

    def query(self, soql: str, **options: Any) -> engine.QueryResult:
        return engine.execute(self, soql, **options)


@dataclass
class Dataset:
    store: OrgStore
    ids: dict[str, str]

    def caller(self, username: str) -> Caller:
        return Caller(self.store, self.ids[username])


def _seed(store: OrgStore, ids: dict[str, str], ref: str, obj: str, **values: Any) -> None:
    resolved = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    creator = ids[resolved.pop("as_user", "admin")]
    ids[ref] = org_admin.seed_record(store, obj, resolved, creator)


@pytest.fixture
def dataset(org: OrgStore) -> Dataset:
    org.clock.set(NOW)
    ids = {row["Username"].split("@")[0]: row["Id"] for row in org.query('SELECT * FROM "User"')}
    org_admin.add_custom_field(
        org,
        {
            "object": "Contact",
            "name": "Interests__c",
            "type": "multipicklist",
            "values": ["Golf", "Tennis", "Chess"],
        },
    )
    _seed(
        org,
        ids,
        "acme",
        "Account",
        Name="Acme",
        Type="Prospect",
        NumberOfEmployees=50,
        AnnualRevenue=1000000,
    )
    _seed(
        org,
        ids,
        "globex",
        "Account",
        Name="Globex",
        Type="Customer - Direct",
        NumberOfEmployees=10,
        OwnerId="rep",
    )
    _seed(org, ids, "initech", "Account", Name="Initech")
    _seed(
        org,
        ids,
        "alice",
        "Contact",
        FirstName="Alice",
        LastName="Smith",
        AccountId="acme",
        Email="alice@acme.com",
        Birthdate="1990-05-01",
        Interests__c="Golf;Tennis",
    )
    _seed(
        org,
        ids,
        "bob",
        "Contact",
        FirstName="Bob",
        LastName="Jones",
        AccountId="acme",
        Email="bob@acme.com",
        Interests__c="Chess",
    )
    _seed(
        org,
        ids,
        "carol",
        "Contact",
        FirstName="Carol",
        LastName="O'Hara",
        AccountId="globex",
        Email="carol_x@globex.com",
        OwnerId="rep",
    )
    _seed(org, ids, "dan", "Contact", LastName="dan")
    _seed(org, ids, "lee", "Lead", FirstName="Lee", LastName="Lead", Company="Leads Inc")
    _seed(
        org,
        ids,
        "big",
        "Opportunity",
        Name="Big Deal",
        AccountId="acme",
        Amount=5000,
        StageName="Prospecting",
        CloseDate="2024-06-30",
    )
    _seed(
        org,
        ids,
        "small",
        "Opportunity",
        Name="Small Deal",
        AccountId="acme",
        Amount=100,
        StageName="Closed Won",
        CloseDate="2024-05-01",
    )
    _seed(
        org,
        ids,
        "g1",
        "Opportunity",
        Name="Globex One",
        AccountId="globex",
        Amount=300,
        StageName="Prospecting",
        CloseDate="2024-05-20",
        OwnerId="rep",
    )
    _seed(org, ids, "call", "Task", Subject="Call Alice", WhoId="alice", WhatId="acme")
    _seed(org, ids, "mail", "Task", Subject="Email Lee", WhoId="lee")
    return Dataset(org, ids)


def strip(value: Any) -> Any:
    """Records without `attributes`, to compare field values only."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k != "attributes"}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def names(*values: str) -> list[dict[str, str]]:
    return [{"Name": value} for value in values]
