"""``serve`` for CI and containers: options as environment variables, ``--base-url``,
``--version``, a one-line error on a busy port, one log line per call, ``--quiet``."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mock_salesforce import __version__

LISTENING = re.compile(r"listening on:\s+(\S+)")
BASE_URL = re.compile(r"base URL \(login and instance\): (\S+)")


class Served:
    """A ``serve`` subprocess whose output (stdout and stderr) is read line by line."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_salesforce", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            env={**os.environ, **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.banner = self.until("stop with Ctrl-C")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip())

    def until(self, marker: str, timeout: float = 30) -> list[str]:
        seen: list[str] = []
        while not seen or marker not in seen[-1]:
            seen.append(self.lines.get(timeout=timeout))
        return seen

    def address(self) -> str:
        match = LISTENING.search("\n".join(self.banner))
        assert match, self.banner
        return "http://" + match.group(1).replace("0.0.0.0", "127.0.0.1")

    def stop(self) -> list[str]:
        self.process.terminate()
        self.process.wait(timeout=10)
        rest: list[str] = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return rest


@pytest.fixture
def served(tmp_path: Path) -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.stop()
        if server.process.stdout is not None:
            server.process.stdout.close()


def test_version_is_printed() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mock_salesforce", "--version"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"mock-salesforce {__version__}", run.stdout


def test_options_come_from_the_environment_and_the_base_url_is_handed_out(
    tmp_path: Path, served: list[Served]
) -> None:
    env = {
        "MOCK_SALESFORCE_HOST": "0.0.0.0",
        "MOCK_SALESFORCE_BASE_URL": "http://mock:8765",
        "MOCK_SALESFORCE_CONTROL_TOKEN": "cli-token",
    }
    server = Served("--quiet", cwd=tmp_path, env=env)
    served.append(server)
    banner = "\n".join(server.banner)
    assert BASE_URL.search(banner).group(1) == "http://mock:8765", banner  # type: ignore[union-attr]
    assert LISTENING.search(banner).group(1).startswith("0.0.0.0:"), banner  # type: ignore[union-attr]
    url = server.address()
    token = {"X-Mock-Control-Token": "cli-token"}
    assert requests.get(f"{url}/_mock/health", timeout=10).status_code == 200, "health is open"
    org = requests.get(f"{url}/_mock/orgs", headers=token, timeout=10).json()[0]
    session = requests.post(
        f"{url}/_mock/orgs/{org['id']}/users/alice@acme.demo/sessions", headers=token, timeout=10
    ).json()
    assert session["instance_url"] == "http://mock:8765", session
    assert org["login_url"] == "http://mock:8765", org


def test_an_option_wins_over_its_variable(tmp_path: Path, served: list[Served]) -> None:
    env = {"MOCK_SALESFORCE_BASE_URL": "http://from-env:1"}
    server = Served("--base-url", "http://from-option:2/", "--no-seed", cwd=tmp_path, env=env)
    served.append(server)
    assert any("http://from-option:2" in line for line in server.banner), server.banner


def test_a_busy_port_is_one_clear_line_and_status_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        run = subprocess.run(
            [sys.executable, "-m", "mock_salesforce", "serve", "--port", port, "--no-seed"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
        )
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines == [
        f"mock-salesforce: cannot listen on 127.0.0.1:{port}: the address is already in use "
        "(another server? pick --port)"
    ], run.stderr


def test_each_call_is_logged_with_status_time_user_and_org(
    tmp_path: Path, served: list[Served]
) -> None:
    server = Served(cwd=tmp_path)
    served.append(server)
    url = server.address()
    org = requests.get(f"{url}/_mock/orgs", timeout=10).json()[0]
    token = requests.post(
        f"{url}/_mock/orgs/{org['id']}/users/admin@acme.demo/sessions", timeout=10
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{url}/services/data/v59.0/limits", headers=headers, timeout=10).ok
    logged = server.until("/services/data/v59.0/limits")[-1]
    pattern = rf"GET /services/data/v59.0/limits 200 \d+\.\dms user=admin@acme.demo org={org['id']}"
    assert re.search(pattern, logged), logged
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO GET "
    assert re.match(stamp, logged), f"a line starts with its date, time and level: {logged!r}"


def test_quiet_serves_without_a_log_line(tmp_path: Path, served: list[Served]) -> None:
    server = Served("--quiet", "--no-seed", cwd=tmp_path)
    served.append(server)
    health = requests.get(f"{server.address()}/_mock/health", timeout=10)
    assert health.json() == {"status": "ok", "version": __version__, "orgs": 0}, health.text
    rest = server.stop()
    assert not [line for line in rest if "/_mock/health" in line], rest
