from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_salesforce import org_admin
from mock_salesforce.store import OrgStore, Registry


@pytest.fixture
def registry() -> Iterator[Registry]:
    reg = Registry()
    yield reg
    reg.close()


@pytest.fixture
def org(registry: Registry) -> OrgStore:
    store = org_admin.create_org(registry, "Unit Org")
    org_admin.create_user(store, {"username": "admin@unit.test", "profile": "System Administrator"})
    org_admin.create_user(store, {"username": "rep@unit.test", "profile": "Standard User"})
    org_admin.create_user(store, {"username": "viewer@unit.test", "profile": "Read Only"})
    org_admin.create_user(
        store, {"username": "int@unit.test", "profile": "Minimum Access - API Only Integrations"}
    )
    return store
