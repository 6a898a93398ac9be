"""The control plane answers only local callers: a foreign Host (DNS rebinding) or a browser
page of another site is refused; with a control token, only callers that send it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from mock_salesforce.__main__ import exposure_warning, main
from mock_salesforce.app import create_app
from mock_salesforce.pipeline.guards import CONTROL_TOKEN_HEADER
from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient, ControlPlaneError
from mock_salesforce.serving.server import LiveServer

TOKEN = "s3cret-control-token"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "10.1.2.3", "[2001:db8::1]"])
def test_a_foreign_host_header_is_refused(sf_org: OrgHandle, host: str) -> None:
    response = requests.get(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/apps", headers={"Host": host}, timeout=10
    )
    assert response.status_code == 403, (host, response.status_code, response.text[:300])
    assert "loopback" in response.json()["error"], response.text
    assert "client_secret" not in response.text


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:1234", "[::1]:80", "app.localhost"])
def test_loopback_host_names_are_served(sf_org: OrgHandle, host: str) -> None:
    response = requests.get(f"{sf_org.base_url}/_mock/orgs", headers={"Host": host}, timeout=10)
    assert response.status_code == 200, (host, response.text[:300])


def test_a_page_of_another_site_is_refused(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/reset",
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert response.status_code == 403, (response.status_code, response.text[:300])
    assert "another site" in response.json()["error"], response.text


def test_a_cross_site_fetch_is_refused(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/_mock/orgs", headers={"Sec-Fetch-Site": "cross-site"}, timeout=10
    )
    assert response.status_code == 403, response.text


def test_the_servers_own_origin_is_served(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/_mock/orgs", headers={"Origin": sf_org.base_url}, timeout=10
    )
    assert response.status_code == 200, response.text[:300]


def test_salesforce_routes_are_not_guarded_by_host(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/services/data", headers={"Host": "acme.my.salesforce.com"}, timeout=10
    )
    assert response.status_code == 200, response.text[:300]


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    server = LiveServer(create_app({"CONTROL_TOKEN": TOKEN})).start()
    yield server
    server.stop()


def test_with_a_token_configured_a_call_without_it_is_refused(guarded: LiveServer) -> None:
    response = requests.get(f"{guarded.url}/_mock/orgs", timeout=10)
    assert response.status_code == 403, response.text
    assert CONTROL_TOKEN_HEADER in response.json()["error"], response.text
    wrong = requests.get(
        f"{guarded.url}/_mock/orgs", headers={CONTROL_TOKEN_HEADER: "guess"}, timeout=10
    )
    assert wrong.status_code == 403, wrong.text
    assert TOKEN not in response.text + wrong.text


def test_the_control_client_sends_the_token(guarded: LiveServer) -> None:
    with pytest.raises(ControlPlaneError, match="403"):
        ControlClient(guarded.url, token="").call("GET", "/orgs")
    org = ControlClient(guarded.url, token=TOKEN).create_org("Guarded")
    assert org["id"].startswith("00D"), org


def test_the_control_client_reads_the_token_from_the_environment(
    guarded: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOCK_SALESFORCE_CONTROL_TOKEN", TOKEN)
    assert isinstance(ControlClient(guarded.url).call("GET", "/orgs"), list)


def test_with_the_token_any_host_is_served(guarded: LiveServer) -> None:
    response = requests.get(
        f"{guarded.url}/_mock/orgs",
        headers={CONTROL_TOKEN_HEADER: TOKEN, "Host": "ci-runner.internal:8765"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_binding_beyond_loopback_without_a_token_refuses_to_start(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOCK_SALESFORCE_CONTROL_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--no-seed"]) == 2
    assert "--control-token" in capsys.readouterr().err


def test_binding_beyond_loopback_with_a_token_warns() -> None:
    warning = exposure_warning("0.0.0.0", TOKEN)
    assert warning is not None and warning.startswith("WARNING"), warning
    assert TOKEN not in warning
    assert exposure_warning("127.0.0.1", None) is None
    assert exposure_warning("::1", None) is None
    assert exposure_warning("localhost", None) is None


CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
HTML = {"Accept": "text/html"}


def test_a_browser_without_the_token_is_sent_to_the_token_page(guarded: LiveServer) -> None:
    page = requests.get(f"{guarded.url}/_mock/ui", headers=HTML, timeout=10, allow_redirects=False)
    assert page.status_code == 303, page.text[:200]
    assert page.headers["Location"].endswith("/_mock/ui/unlock"), page.headers


def test_the_dashboard_opens_once_the_browser_entered_the_token(guarded: LiveServer) -> None:
    browser = requests.Session()
    form = browser.get(f"{guarded.url}/_mock/ui/unlock", headers=HTML, timeout=10)
    csrf = CSRF.search(form.text)
    assert form.status_code == 200 and csrf, form.text[:300]
    wrong = browser.post(
        f"{guarded.url}/_mock/ui/unlock",
        data={"control_token": "guess", "csrf_token": csrf.group(1)},
        timeout=10,
    )
    assert wrong.status_code == 403, wrong.text[:300]
    assert browser.get(f"{guarded.url}/_mock/orgs", timeout=10).status_code == 403

    right = browser.post(
        f"{guarded.url}/_mock/ui/unlock",
        data={"control_token": TOKEN, "csrf_token": csrf.group(1)},
        timeout=10,
    )
    assert right.status_code == 200 and "<h1>Orgs</h1>" in right.text, right.text[:300]
    cookie = next(c for c in browser.cookies if c.name == "mock_control_token")
    assert cookie.has_nonstandard_attr("HttpOnly"), cookie.__dict__
    assert browser.get(f"{guarded.url}/_mock/orgs", timeout=10).status_code == 200
