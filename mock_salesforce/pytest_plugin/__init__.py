"""pytest fixtures for testing against the mock (registered under the ``pytest11`` entry point).

- ``mock_salesforce_server``: a live server on an ephemeral loopback port, one per test session
  (so one per xdist worker: safe under ``pytest -n auto``).
- ``sf_org``: a fresh, isolated org per test (a clone of a template org seeded once per
  session: a few milliseconds), deleted at teardown, with an admin, a standard user and a
  connected app; ``sf_org.api(username)`` is a ``requests.Session`` already holding
  that user's access token.
- ``mock_salesforce_control``: the control-plane client.
- ``sf_inprocess``: the same app reached without a socket (the zero-network transport).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask

from ..app import create_app
from ..pipeline.guards import CONTROL_TOKEN_ENV
from ..serving.server import LiveServer
from ..serving.transport import in_process_session
from .control_client import ControlClient, OrgControl

DEFAULT_ORG: dict[str, Any] = {
    "name": "Test Org",
    "users": [
        {
            "username": "admin@test.org",
            "first_name": "Ada",
            "last_name": "Admin",
            "alias": "admin",
            "profile": "System Administrator",
            "password": "admin-pass-1",
            "security_token": "ADMINTOK",
        },
        {
            "username": "user@test.org",
            "first_name": "Uma",
            "last_name": "User",
            "alias": "user",
            "profile": "Standard User",
            "password": "user-pass-1",
            "security_token": "USERTOK",
        },
    ],
    "connected_apps": [
        {
            "name": "Test App",
            "callback_urls": ["http://localhost:8080/callback"],
            "client_credentials_user": "admin@test.org",
        },
    ],
}


@dataclass
class OrgHandle:
    """A fresh org of the live server, and the ways a test talks to it."""

    id: str
    base_url: str
    control: OrgControl
    users: dict[str, str]
    apps: list[dict[str, str]]
    _sessions: list[requests.Session] = field(default_factory=list)

    def token(self, user: str) -> str:
        """An access token for ``user`` (username, alias or id), without an OAuth dance."""
        return str(self.control.session_for(user)["access_token"])

    def api(self, user: str, version: str = "59.0") -> ApiSession:
        """A ``requests.Session`` authenticated as ``user``, rooted at the REST base URL."""
        session = ApiSession(f"{self.base_url}/services/data/v{version}", self.token(user))
        self._sessions.append(session)
        return session

    @property
    def app(self) -> dict[str, str]:
        return self.apps[0]

    def close(self) -> None:
        for session in self._sessions:
            session.close()


class ApiSession(requests.Session):
    """A session whose relative paths are resolved against the REST base URL."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__()
        self.base = base
        self.headers["Authorization"] = f"Bearer {token}"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith("/") and not text.startswith("/services"):
            text = self.base + text
        elif text.startswith("/services"):
            text = self.base.split("/services", 1)[0] + text
        kwargs.setdefault("timeout", 30)
        return super().request(method, text, *args, **kwargs)


@pytest.fixture(scope="session")
def mock_salesforce_app() -> Flask:
    """The app; with ``MOCK_SALESFORCE_CONTROL_TOKEN`` set, its control plane requires that
    token (which ``ControlClient`` sends)."""
    token = os.environ.get(CONTROL_TOKEN_ENV)
    return create_app({"CONTROL_TOKEN": token} if token else None)


@pytest.fixture(scope="session")
def mock_salesforce_server(mock_salesforce_app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(mock_salesforce_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mock_salesforce_control(mock_salesforce_server: LiveServer) -> Iterator[ControlClient]:
    client = ControlClient(mock_salesforce_server.url)
    yield client
    client.http.close()


def new_org(control: ControlClient, base_url: str, spec: dict[str, Any] | None = None) -> OrgHandle:
    created = control.seed({"orgs": [spec or DEFAULT_ORG]})[0]
    return OrgHandle(
        created["id"],
        base_url,
        control.org(created["id"]),
        created["users"],
        created["connected_apps"],
    )


@pytest.fixture(scope="session")
def sf_template_org(
    mock_salesforce_control: ControlClient, mock_salesforce_server: LiveServer
) -> Iterator[OrgHandle]:
    """The org every ``sf_org`` is cloned from (seeded once per test session).

    It takes no logins itself: its clones reuse its usernames, and a username must lead to one
    org (Salesforce usernames are unique across orgs).
    """
    handle = new_org(mock_salesforce_control, mock_salesforce_server.url)
    handle.control.settings(accepts_logins=False)
    yield handle
    mock_salesforce_control.delete_org(handle.id)


@pytest.fixture
def sf_org(
    mock_salesforce_control: ControlClient,
    mock_salesforce_server: LiveServer,
    sf_template_org: OrgHandle,
) -> Iterator[OrgHandle]:
    """A fresh org for this test: a clone of the template, with its own ids and app clients."""
    created = mock_salesforce_control.clone_org(sf_template_org.id, "Test Org")
    handle = OrgHandle(
        created["id"],
        mock_salesforce_server.url,
        mock_salesforce_control.org(created["id"]),
        created["users"],
        created["connected_apps"],
    )
    yield handle
    handle.close()
    mock_salesforce_control.delete_org(handle.id)


@pytest.fixture
def sf_inprocess(mock_salesforce_app: Flask) -> Iterator[requests.Session]:
    session = in_process_session(mock_salesforce_app)
    yield session
    session.close()
