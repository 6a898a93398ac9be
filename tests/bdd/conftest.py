"""The behaviour suite's fixtures: per scenario a fresh org on the live mock and a fresh core.

``test_features.py`` collects every feature under features/; the steps of every module under
``steps/`` are found by ``discovery`` and made visible here, so neither a new feature folder
nor a new step module needs an edit elsewhere. The plugins of ``outcomes`` turn each scenario
into readable failures, ``--bdd-steps`` output and a trustworthy ``--cucumberjson``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pytest_bdd.scenario import scenario_wrapper_template_registry

from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer

from .discovery import step_fixtures
from .drivers.sales_app import SalesApp
from .drivers.salesforce import SalesforceOrg, loopback_session
from .outcomes import CucumberJson, ScenarioTracker, StepPrinter
from .rules import known_tags

globals().update(step_fixtures())


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bdd-suite", "behaviour suite")
    group.addoption(
        "--bdd-steps",
        action="store_true",
        help="print every scenario as Gherkin with the outcome of each step",
    )
    group.addoption(
        "--bdd-feature",
        action="append",
        default=[],
        metavar="PATH",
        help="run only the scenarios of this feature file or folder (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(ScenarioTracker(config), "bdd-scenario-tracker")
    if config.getoption("bdd_steps", False):
        config.pluginmanager.register(StepPrinter(config), "bdd-step-printer")
    path = config.getoption("cucumber_json_path", None)
    if path and not hasattr(config, "workerinput"):
        _drop_bundled_cucumber_writer(config)
        config.pluginmanager.register(CucumberJson(path), "bdd-cucumber-json")


def _drop_bundled_cucumber_writer(config: pytest.Config) -> None:
    """pytest-bdd's own cucumber writer marks a scenario with an undefined step passed."""
    bundled = getattr(config, "_bddcucumberjson", None)
    if bundled is not None:
        if config.pluginmanager.is_registered(bundled):
            config.pluginmanager.unregister(bundled)
        del config._bddcucumberjson  # type: ignore[attr-defined]


def pytest_sessionstart(session: pytest.Session) -> None:
    """pytest-bdd configures its writer after this conftest: drop it again once all is set."""
    if hasattr(session.config, "_bddcucumberjson"):
        _drop_bundled_cucumber_writer(session.config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--bdd-feature PATH``: keep the scenarios whose feature file lies under one of the paths."""
    wanted = [Path(p).resolve() for p in config.getoption("bdd_feature", [])]
    if not wanted:
        return
    for path in wanted:
        if not path.exists():
            raise pytest.UsageError(f"--bdd-feature {path}: no such feature file or folder")
    keep, drop = [], []
    for item in items:
        filename = feature_file(item)
        inside = filename is not None and any(filename.is_relative_to(p) for p in wanted)
        (keep if inside else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def feature_file(item: pytest.Item) -> Path | None:
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    return Path(template.feature.filename).resolve() if template is not None else None


def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> Any:
    """``@wip`` skips a scenario; a known tag becomes a (registered) marker; an unknown tag
    fails that scenario alone, with a one-line message (see ``ScenarioTracker``)."""
    if tag == "wip":
        return pytest.mark.skip(reason="work in progress (@wip)")(function)
    if tag not in known_tags():
        function.__dict__.setdefault("bdd_unknown_tags", set()).add(tag)
        return function
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
    http = loopback_session()
    app = SalesApp(salesforce, http, jwt_key_pair[0])
    yield app
    app.core.store.close()
    http.close()
