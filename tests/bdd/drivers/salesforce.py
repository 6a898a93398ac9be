"""The Salesforce side of a scenario: a fresh org on the live mock, named users, records.

Steps name users by username (``alice@acme.test``) or alias (``alice``) and records by their
name; this driver turns names into ids and back, so assertions read as QA wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from mock_salesforce.pytest_plugin import ApiSession
from mock_salesforce.pytest_plugin.control_client import (
    ControlClient,
    ControlPlaneError,
    OrgControl,
)

CALLBACK_URL = "https://app.example/oauth/callback"
EXTERNAL_ID = "App_Id__c"
SYNCED_OBJECTS = ("Account", "Contact", "Lead", "Task", "Event")
INTEGRATION_USER = "int@acme.test"
ADMIN_USER = "admin@acme.test"
PASSWORD = "Passw0rd!"
UNKNOWN_USER_ID = "005000000000000AAA"


def instance_host(base_url: str) -> str:
    """The org's own API host: the mock under another name (localhost for 127.0.0.1), so a
    call sent to the login host instead of the instance shows in the journal (X-13)."""
    return base_url.replace("://127.0.0.1:", "://localhost:")


def org_seed(certificate_pem: str, base_url: str) -> dict[str, Any]:
    """The org every scenario starts from: an admin, the integration user, the sales app."""
    return {
        "name": "Acme",
        "settings": {
            "instance_url": instance_host(base_url),
            "client_credentials_own_domain": True,
        },
        "custom_fields": [
            {
                "object": obj,
                "name": EXTERNAL_ID,
                "type": "string",
                "length": 64,
                "external_id": True,
                "unique": True,
            }
            for obj in SYNCED_OBJECTS
        ],
        "permission_sets": [
            {
                "name": "Sales_Sync",
                "label": "Sales Sync",
                "objects": {
                    obj: "Read, Create, Edit, Delete, ViewAllRecords" for obj in SYNCED_OBJECTS
                },
                "fields": {f"{obj}.*": "edit" for obj in SYNCED_OBJECTS},
                "user_permissions": ["ViewSetup", "ManageUsers"],
            }
        ],
        "users": [
            {
                "username": ADMIN_USER,
                "first_name": "Ada",
                "last_name": "Admin",
                "alias": "admin",
                "profile": "System Administrator",
                "password": PASSWORD,
            },
            {
                "username": INTEGRATION_USER,
                "first_name": "Sync",
                "last_name": "Integration",
                "alias": "int",
                "profile": "Minimum Access - API Only Integrations",
                "password": PASSWORD,
                "permission_sets": ["Sales_Sync"],
            },
        ],
        "connected_apps": [
            {
                "name": "Sales App",
                "callback_urls": [CALLBACK_URL],
                "client_credentials_user": INTEGRATION_USER,
                "certificate": certificate_pem,
                "permitted_users": "all",
            },
        ],
    }


def loopback_session() -> requests.Session:
    """An HTTP session for the mock on loopback, as the sales app and a browser use it here.

    Proxy and CA environment variables are ignored (``trust_env`` off): an ``HTTP_PROXY``
    without ``NO_PROXY`` would send loopback calls elsewhere, and reading the environment for
    them costs about 0.2 ms of every call (docs/performance.md).
    """
    session = requests.Session()
    session.trust_env = False
    return session


@dataclass
class SalesforceOrg:
    """One scenario's org and what the steps know about it by name."""

    control: ControlClient
    base_url: str
    certificate_pem: str
    org_id: str = ""
    users: dict[str, str] = field(default_factory=dict)
    app: dict[str, str] = field(default_factory=dict)

    def create(self, template_id: str | None = None) -> SalesforceOrg:
        """Seed the scenario org, or clone ``template_id`` (an org seeded the same way)."""
        if template_id is None:
            created = self.control.seed({"orgs": [org_seed(self.certificate_pem, self.base_url)]})[
                0
            ]
        else:
            created = self.control.clone_org(template_id, "Acme")
        self.org_id = created["id"]
        self.users = dict(created["users"])
        self.app = created["connected_apps"][0]
        return self

    def delete(self) -> None:
        if self.org_id:
            self.control.delete_org(self.org_id)

    @property
    def admin(self) -> OrgControl:
        return self.control.org(self.org_id)

    # -- users ---------------------------------------------------------------------------
    def add_user(self, username: str, profile: str = "Standard User", **spec: Any) -> str:
        alias = spec.pop("alias", None) or username.split("@")[0][:8]
        first, last = spec.pop("first_name", None), spec.pop("last_name", None)
        created = self.admin.create_user(
            username,
            profile=profile,
            password=PASSWORD,
            alias=alias,
            first_name=first or alias.capitalize(),
            last_name=last or "Rep",
            **spec,
        )
        self.users[username] = created["id"]
        return str(created["id"])

    def user_id(self, name: str) -> str:
        """A user's id from a username, an alias or an id."""
        if name in self.users:
            return self.users[name]
        if name.startswith("005") and name in self.users.values():
            return name
        return str(self.admin.user(name)["id"])

    def user_id_or_unknown(self, name: str) -> str:
        """A user's id, or for a user the org does not have, an id no user has (so the core,
        not this driver, is the one to refuse it)."""
        try:
            return self.user_id(name)
        except ControlPlaneError:
            return UNKNOWN_USER_ID

    def username(self, user_id: str | None) -> str | None:
        """The username behind an id (for readable assertions)."""
        if user_id is None:
            return None
        for username, known in self.users.items():
            if known[:15] == user_id[:15]:
                return username
        return str(self.admin.user(user_id)["username"])

    def set_user(self, name: str, **change: Any) -> None:
        self.admin.update_user(name, **change)

    # -- records -------------------------------------------------------------------------
    def records(self, sobject: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        return self.admin.records(sobject, include_deleted=include_deleted)

    def record_named(self, sobject: str, name: str) -> dict[str, Any]:
        """The one live record of ``sobject`` whose Name (or Subject) is ``name``."""
        key = "Subject" if sobject in ("Task", "Event") else "Name"
        found = [r for r in self.records(sobject) if r.get(key) == name]
        assert len(found) == 1, (
            f"expected one {sobject} named {name!r}, found {len(found)}: {found}"
        )
        return found[0]

    def seed(self, sobject: str, values: dict[str, Any], as_user: str | None = None) -> str:
        [record_id] = self.admin.seed_records(sobject, [values], as_user=as_user)
        return record_id

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        return self.admin.journal(**filters)

    def api(self, username: str) -> ApiSession:
        """A REST session as ``username`` (for what a Salesforce admin does by hand)."""
        token = self.admin.session_for(username)["access_token"]
        return ApiSession(f"{self.base_url}/services/data/v59.0", token)
