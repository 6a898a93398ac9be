"""The pytest plugin: a TLS live server unmodified simple-salesforce trusts, proxies ignored
for loopback, and a plugin that imports nothing heavy until a fixture runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import certifi
import pytest
import requests
from simple_salesforce import Salesforce

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.tls import TrustedTls


def test_simple_salesforce_works_unmodified_against_the_tls_server(sf_tls_org: OrgHandle) -> None:
    assert sf_tls_org.base_url.startswith("https://localhost:"), sf_tls_org.base_url
    sf = Salesforce(instance_url=sf_tls_org.base_url, session_id=sf_tls_org.token("user@test.org"))
    created = sf.Contact.create({"LastName": "Tls"})
    assert created["success"] is True, created
    assert sf_tls_org.api("admin@test.org").get("/limits").status_code == 200


def test_the_ca_is_trusted_inside_the_session_and_put_back_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    monkeypatch.delenv("no_proxy", raising=False)
    trusted = TrustedTls.create(tmp_path)
    with trusted.in_environment():
        assert os.environ["REQUESTS_CA_BUNDLE"] == str(trusted.bundle)
        assert os.environ["NO_PROXY"] == "intranet.example,localhost,127.0.0.1,::1"
        bundle = trusted.bundle.read_text()
        assert Path(certifi.where()).read_text() in bundle, "the CAs trusted before are kept"
        assert trusted.files.ca_cert.read_text() in bundle, "the mock's CA is added"
    assert os.environ["REQUESTS_CA_BUNDLE"] == certifi.where()
    assert os.environ["NO_PROXY"] == "intranet.example"
    assert "no_proxy" not in os.environ


def test_org_sessions_ignore_a_proxy_without_no_proxy(
    sf_org: OrgHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy nobody listens on: a session honouring it would fail to connect.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert sf_org.api("admin@test.org").get("/limits").status_code == 200
    assert sf_org.control.info()["id"] == sf_org.id
    with pytest.raises(requests.exceptions.ProxyError):
        requests.get(f"{sf_org.base_url}/services/data", timeout=5)


def test_loading_the_plugin_imports_neither_flask_nor_requests() -> None:
    code = (
        "import sys, pytest, mock_salesforce.pytest_plugin as p\n"
        "heavy = [m for m in ('flask', 'requests', 'cryptography', 'werkzeug',"
        " 'mock_salesforce.app') if m in sys.modules]\n"
        "print(heavy)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]", run.stdout + run.stderr
