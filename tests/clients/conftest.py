"""Real clients against the mock served over HTTPS with its own local CA.

One TLS server per test session (so one per xdist worker) and a fresh org per test. Clients
trust the CA the way users would: ``requests`` through ``session.verify``, Node through
``NODE_EXTRA_CA_CERTS``; nothing in the clients is patched.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import OrgHandle, new_org
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.tls import TlsFiles, ensure_certificates
from tests.clients.hosts import LOGIN_HOSTS, RouteToMock


def trusting(files: TlsFiles) -> requests.Session:
    """A session that verifies TLS against the mock's CA.

    ``trust_env`` is off because ``requests`` lets a ``REQUESTS_CA_BUNDLE`` or
    ``CURL_CA_BUNDLE`` environment variable override ``session.verify`` (psf/requests#3829).
    """
    http = requests.Session()
    http.trust_env = False
    http.verify = str(files.ca_cert)
    return http


@pytest.fixture(scope="session")
def mock_tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return ensure_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def https_server(mock_tls: TlsFiles) -> Iterator[LiveServer]:
    server = LiveServer(create_app(), tls=mock_tls).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def https_control(https_server: LiveServer, mock_tls: TlsFiles) -> Iterator[ControlClient]:
    client = ControlClient(https_server.url, trusting(mock_tls))
    yield client
    client.http.close()


@pytest.fixture
def https_org(https_control: ControlClient, https_server: LiveServer) -> Iterator[OrgHandle]:
    """A fresh org on the HTTPS server (the plugin's default org: admin, user, one app)."""
    handle = new_org(https_control, https_server.url)
    yield handle
    handle.close()
    https_control.delete_org(handle.id)


@pytest.fixture
def trusting_session(https_server: LiveServer, mock_tls: TlsFiles) -> Iterator[requests.Session]:
    """What a user hands to a client's ``session=``: it trusts the mock's CA, and it sends
    the hosts the client hard-codes (``login.salesforce.com``, a My Domain) to the mock."""
    http = trusting(mock_tls)
    adapter = RouteToMock(https_server.url)
    for host in LOGIN_HOSTS:
        http.mount(f"https://{host}", adapter)
    yield http
    http.close()
