"""Real clients against the mock served over HTTPS with its own local CA.

The package's TLS fixtures (``mock_salesforce_tls_server``, ``sf_tls_org``) serve one HTTPS
server per test session (so one per xdist worker) and a fresh org per test. Clients trust the
CA the way users would: ``requests`` through ``session.verify``, Node through
``NODE_EXTRA_CA_CERTS``; nothing in the clients is patched.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from simple_salesforce import Salesforce

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.pytest_plugin.tls import TrustedTls
from mock_salesforce.serving.routing import route_to_mock
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.tls import TlsFiles
from tests.clients.hosts import LOGIN_HOSTS


@pytest.fixture(scope="session")
def mock_tls(mock_salesforce_tls: TrustedTls) -> TlsFiles:
    return mock_salesforce_tls.files


@pytest.fixture(scope="session")
def https_server(mock_salesforce_tls_server: LiveServer) -> LiveServer:
    return mock_salesforce_tls_server


@pytest.fixture(scope="session")
def https_control(mock_salesforce_tls_control: ControlClient) -> ControlClient:
    return mock_salesforce_tls_control


@pytest.fixture
def https_org(sf_tls_org: OrgHandle) -> OrgHandle:
    """A fresh org on the HTTPS server (the plugin's default org: admin, user, one app)."""
    return sf_tls_org


@pytest.fixture
def trusting_session(
    https_server: LiveServer, mock_salesforce_tls: TrustedTls
) -> Iterator[requests.Session]:
    """What a user hands to a client's ``session=``: it trusts the mock's CA, and it sends
    the hosts the client hard-codes (``login.salesforce.com``, a My Domain) to the mock."""
    http = route_to_mock(mock_salesforce_tls.session(), https_server.url, LOGIN_HOSTS)
    yield http
    http.close()


@pytest.fixture
def sf(https_org: OrgHandle, trusting_session: requests.Session) -> Salesforce:
    """simple-salesforce as its users build it, on the user's token and a trusting session."""
    return Salesforce(
        instance_url=https_org.base_url,
        session_id=https_org.token("user@test.org"),
        session=trusting_session,
    )
