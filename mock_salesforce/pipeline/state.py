"""What an app owns and where it is served: the one home of the registry and base-URL helpers.

Every blueprint (REST, OAuth, the control plane) reaches the orgs and the URLs it hands out
through these functions, inside a request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from ..store import OrgStore, Registry


@dataclass
class MockState:
    """What an app owns: its orgs, and where it is served (for URLs it hands out)."""

    registry: Registry
    base_url: str | None = None


def state() -> MockState:
    app_state: MockState = current_app.extensions["mock_salesforce"]
    return app_state


def registry() -> Registry:
    """The current app's orgs."""
    return state().registry


def org(org_id: str) -> OrgStore:
    """An org by id (``OrgNotFound`` when the server has none)."""
    return registry().get(org_id)


def base_url() -> str:
    """Where clients reach this server (configured, else the request's own host)."""
    return (state().base_url or request.host_url).rstrip("/")


def instance_url(store: OrgStore) -> str:
    """Where the org's API answers: its ``instance_url`` setting (a My Domain of the mock's
    own), else the mock's base URL. Identity URLs stay on the login host, as in Salesforce."""
    configured = store.setting("instance_url")
    return str(configured).rstrip("/") if configured else base_url()
