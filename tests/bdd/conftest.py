"""The behaviour suite's fixtures: per scenario a fresh org on the live mock and a fresh core.

Binders (``test_*.py``) only call ``scenarios(...)``; steps live in ``steps/`` by domain and
are made visible here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer

from .drivers.sales_app import SalesApp
from .drivers.salesforce import SalesforceOrg
from .steps.activities import *  # noqa: F403
from .steps.clock_and_faults import *  # noqa: F403
from .steps.core_state import *  # noqa: F403
from .steps.credentials import *  # noqa: F403
from .steps.journal import *  # noqa: F403
from .steps.orgs_and_users import *  # noqa: F403
from .steps.proof_connect import *  # noqa: F403
from .steps.proof_core import *  # noqa: F403
from .steps.pulling import *  # noqa: F403
from .steps.pushing import *  # noqa: F403
from .steps.salesforce_records import *  # noqa: F403
from .steps.team import *  # noqa: F403


def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> Any:
    """``@wip`` skips a scenario; every other tag becomes a (registered) marker."""
    if tag == "wip":
        return pytest.mark.skip(reason="work in progress (@wip)")(function)
    return None


@pytest.fixture(scope="session")
def jwt_key_pair() -> tuple[str, str]:
    """An RSA key and its self-signed certificate for JWT bearer (made once per worker)."""
    return make_jwt_key_pair()


def make_jwt_key_pair() -> tuple[str, str]:
    """A new RSA key (PEM) and its self-signed certificate (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sales-app")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="session")
def salesforce_template(
    mock_salesforce_control: ControlClient,
    mock_salesforce_server: LiveServer,
    jwt_key_pair: tuple[str, str],
) -> Iterator[SalesforceOrg]:
    """The scenario org as seeded, once per worker; every scenario gets a clone of it."""
    org = SalesforceOrg(mock_salesforce_control, mock_salesforce_server.url, jwt_key_pair[1])
    org.create()
    org.admin.settings(accepts_logins=False)
    yield org
    org.delete()


@pytest.fixture
def salesforce(
    mock_salesforce_control: ControlClient,
    mock_salesforce_server: LiveServer,
    jwt_key_pair: tuple[str, str],
    salesforce_template: SalesforceOrg,
) -> Iterator[SalesforceOrg]:
    """A fresh org for this scenario (a clone of the template), deleted afterwards."""
    org = SalesforceOrg(mock_salesforce_control, mock_salesforce_server.url, jwt_key_pair[1])
    yield org.create(template_id=salesforce_template.org_id)
    org.delete()


@pytest.fixture
def sales_app(salesforce: SalesforceOrg, jwt_key_pair: tuple[str, str]) -> Iterator[SalesApp]:
    """The sales app's team, running the real integration core against this scenario's org."""
    http = requests.Session()
    app = SalesApp(salesforce, http, jwt_key_pair[0])
    yield app
    app.core.store.close()
    http.close()
