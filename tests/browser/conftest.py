"""Browser tests: the dashboard driven by a real headless Chromium through Selenium.

Chromium comes from the system (Debian's ``chromium`` and ``chromium-driver``; ``.ci/run``
installs them): no browser is downloaded at test time. Without them every browser test skips
and says so. Screenshots go to ``reports/screenshots/``; with ``DASHBOARD_DOC_IMAGES=1`` the
ones the docs show are also copied to ``docs/images/``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from mock_salesforce.app import create_app
from mock_salesforce.org_admin.seed import demo_seed
from mock_salesforce.serving.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "reports" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"
LAPTOP = (1366, 900)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
DRIVER_NAMES = ("chromedriver",)
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
INSTALL_HINT = "apt-get install chromium chromium-driver (.ci/run does it)"


def find_chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or why the browser tests cannot run here."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    browser = next(filter(None, (shutil.which(n) for n in CHROMIUM_NAMES)), None)
    driver = next(filter(None, (shutil.which(n) for n in DRIVER_NAMES)), None)
    driver = driver or next((p for p in DRIVER_PATHS if os.access(p, os.X_OK)), None)
    if browser is None:
        return f"no Chromium on this machine: {INSTALL_HINT}"
    if driver is None:
        return f"Chromium found but no chromedriver: {INSTALL_HINT}"
    return browser, driver


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    found = find_chromium()
    if isinstance(found, str):
        pytest.skip(f"browser tests skipped: {found}")
    return found


@pytest.fixture(scope="session")
def browser(chromium_paths: tuple[str, str]) -> Iterator[Any]:
    """One headless Chromium per test session (per xdist worker), at laptop size."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser_path, driver_path = chromium_paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={LAPTOP[0]},{LAPTOP[1]}")
    options.add_argument("--force-device-scale-factor=1")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def live_mock() -> Iterator[LiveServer]:
    server = LiveServer(create_app()).start()
    yield server
    server.stop()


@dataclass
class DemoOrg:
    """A fresh copy of the demo org on the live server, made through the control plane."""

    base_url: str
    id: str
    users: dict[str, str]
    app: dict[str, str]

    def page(self, name: str = "", **query: str) -> str:
        """The dashboard URL of one of this org's pages (``""`` is the org page)."""
        path = f"{self.base_url}/_mock/ui/orgs/{self.id}" + (f"/{name}" if name else "")
        return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = f"{self.base_url}/_mock/orgs/{self.id}{path}"
        return requests.request(method, url, timeout=30, **kwargs)

    def token(self, username: str) -> str:
        answer = self.control("POST", f"/users/{username}/sessions")
        assert answer.status_code == 201, answer.text
        return str(answer.json()["access_token"])

    def api(self, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
        url = f"{self.base_url}/services/data/v59.0{path}"
        headers = {"Authorization": f"Bearer {token}"}
        return requests.request(method, url, headers=headers, timeout=30, **kwargs)


@pytest.fixture
def demo_org(live_mock: LiveServer) -> Iterator[DemoOrg]:
    seed = demo_seed()
    answer = requests.post(f"{live_mock.url}/_mock/seed", json=seed, timeout=30)
    assert answer.status_code == 201, answer.text
    created = answer.json()[0]
    org = DemoOrg(live_mock.url, created["id"], created["users"], created["connected_apps"][0])
    yield org
    requests.delete(f"{live_mock.url}/_mock/orgs/{org.id}", timeout=30)


@pytest.fixture
def screenshot(browser: Any) -> Callable[[str], Path]:
    """Save the page as reports/screenshots/<name>.png (and docs/images/ when asked)."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(LAPTOP[0], max(LAPTOP[1], min(int(height) + 20, 2400)))
        path = SCREENSHOTS / f"{name}.png"
        browser.save_screenshot(str(path))
        browser.set_window_size(*LAPTOP)
        if os.environ.get("DASHBOARD_DOC_IMAGES") == "1":
            DOC_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOC_IMAGES / f"dashboard-{name}.png")
        return path

    return take
