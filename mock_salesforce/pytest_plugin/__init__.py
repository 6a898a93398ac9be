"""pytest fixtures for testing against the mock (registered under the ``pytest11`` entry point).

- ``mock_salesforce_server``: a live HTTP server on an ephemeral loopback port, one per test
  session (so one per xdist worker: safe under ``pytest -n auto``).
- ``sf_org``: a fresh, isolated org per test (a clone of a template org seeded once per
  session: a few milliseconds), deleted at teardown, with an admin, a standard user and a
  connected app; ``sf_org.api(username)`` is a ``requests.Session`` already holding
  that user's access token.
- ``mock_salesforce_tls_server`` and ``sf_tls_org``: the same over HTTPS, with the mock's CA
  trusted by ``requests`` for the test session only (``Salesforce(instance_url=...,
  session_id=...)`` of simple-salesforce works unmodified).
- ``sf_intercept``: ``mock_salesforce.intercept()`` for one test: calls to Salesforce's hosts
  go to a fresh in-process mock.
- ``mock_salesforce_control``: the control-plane client.
- ``sf_inprocess``: the same app reached without a socket (the zero-network transport).

Loading this plugin imports nothing but pytest: the app, Flask and ``requests`` are imported
when a fixture first runs, so projects that install the package pay nothing in test startup.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import requests
    from flask import Flask

    from ..serving.server import LiveServer
    from .control_client import ControlClient
    from .handles import OrgHandle
    from .tls import TrustedTls

__all__ = ["DEFAULT_ORG", "ApiSession", "OrgHandle", "new_org"]


def __getattr__(name: str) -> Any:
    """``OrgHandle``, ``new_org``, ... re-exported lazily (they import ``requests``)."""
    if name in __all__:
        from . import handles

        return getattr(handles, name)
    raise AttributeError(name)


@pytest.fixture(scope="session")
def mock_salesforce_app() -> Flask:
    """The app; with ``MOCK_SALESFORCE_CONTROL_TOKEN`` set, its control plane requires that
    token (which ``ControlClient`` sends)."""
    return _new_app()


def _new_app() -> Flask:
    from ..app import create_app

    token = os.environ.get("MOCK_SALESFORCE_CONTROL_TOKEN")
    return create_app({"CONTROL_TOKEN": token} if token else None)


@pytest.fixture(scope="session")
def mock_salesforce_server(mock_salesforce_app: Flask) -> Iterator[LiveServer]:
    from ..serving.server import LiveServer

    server = LiveServer(mock_salesforce_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mock_salesforce_control(mock_salesforce_server: LiveServer) -> Iterator[ControlClient]:
    from .control_client import ControlClient

    client = ControlClient(mock_salesforce_server.url)
    yield client
    client.http.close()


@pytest.fixture(scope="session")
def sf_template_org(
    mock_salesforce_control: ControlClient, mock_salesforce_server: LiveServer
) -> Iterator[OrgHandle]:
    """The org every ``sf_org`` is cloned from (seeded once per test session).

    It takes no logins itself: its clones reuse its usernames, and a username must lead to one
    org (Salesforce usernames are unique across orgs).
    """
    from .handles import new_org

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
    from .handles import handle_for

    created = mock_salesforce_control.clone_org(sf_template_org.id, "Test Org")
    handle = handle_for(mock_salesforce_control, created, mock_salesforce_server.url)
    yield handle
    handle.close()
    mock_salesforce_control.delete_org(handle.id)


@pytest.fixture(scope="session")
def mock_salesforce_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrustedTls]:
    """The mock's CA and server certificate, trusted by ``requests`` for this test session.

    ``REQUESTS_CA_BUNDLE`` points at a bundle of the CAs trusted before plus the mock's, and
    ``NO_PROXY`` gains the loopback names, inside this pytest process only; both are put back
    when the session ends. Nothing outside the process (certificate stores, shells) changes.
    """
    from .tls import TrustedTls

    trusted = TrustedTls.create(tmp_path_factory.mktemp("mock-salesforce-tls"))
    with trusted.in_environment():
        yield trusted


@pytest.fixture(scope="session")
def mock_salesforce_tls_server(mock_salesforce_tls: TrustedTls) -> Iterator[LiveServer]:
    """A live HTTPS server (``https://localhost:<port>``) with its own app, one per session."""
    from ..serving.server import LiveServer

    server = LiveServer(_new_app(), tls=mock_salesforce_tls.files).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mock_salesforce_tls_control(
    mock_salesforce_tls_server: LiveServer, mock_salesforce_tls: TrustedTls
) -> Iterator[ControlClient]:
    from .control_client import ControlClient

    client = ControlClient(mock_salesforce_tls_server.url, mock_salesforce_tls.session())
    yield client
    client.http.close()


@pytest.fixture
def sf_tls_org(
    mock_salesforce_tls_control: ControlClient,
    mock_salesforce_tls_server: LiveServer,
    mock_salesforce_tls: TrustedTls,
) -> Iterator[OrgHandle]:
    """A fresh org on the HTTPS server (admin, user, one app), deleted after the test."""
    from .handles import new_org

    handle = new_org(
        mock_salesforce_tls_control,
        mock_salesforce_tls_server.url,
        verify=str(mock_salesforce_tls.files.ca_cert),
    )
    yield handle
    handle.close()
    mock_salesforce_tls_control.delete_org(handle.id)


@pytest.fixture
def sf_intercept() -> Iterator[OrgHandle]:
    """``mock_salesforce.intercept()`` around one test: a fresh in-process org, reached at
    Salesforce's own hosts by ``requests`` (and ``httpx`` when installed)."""
    from ..interception import intercept

    with intercept() as org:
        yield org


@pytest.fixture
def sf_inprocess(mock_salesforce_app: Flask) -> Iterator[requests.Session]:
    from ..serving.transport import in_process_session

    session = in_process_session(mock_salesforce_app)
    yield session
    session.close()
