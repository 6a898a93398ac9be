"""Under ``--db`` nothing acknowledged is lost: not to concurrent writers on two worker
processes, not to ``kill -9`` of the whole server. docs/reliability.md records longer runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import requests

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient

from .serving import BANNER_URL

API = "/services/data/v59.0"
WRITERS = 6
WRITES_EACH = 40


def start(db: Path, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """``serve --db --workers 2`` in its own process group (so it can be killed whole)."""
    command = [sys.executable, "-m", "mock_salesforce", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--no-seed", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=cwd,
        start_new_session=True,
    )
    assert process.stdout is not None
    banner = ""
    for line in process.stdout:
        banner += line
        if "stop with Ctrl-C" in line:
            break
    match = BANNER_URL.search(banner)
    assert match, banner
    return process, match.group(1)


def kill_all(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def write_contacts(url: str, token: str, tag: str) -> list[str]:
    """Every writer creates contacts at once; returns the ids Salesforce acknowledged."""
    acknowledged: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {token}"
            for i in range(WRITES_EACH):
                try:
                    answer = http.post(
                        f"{url}{API}/sobjects/Contact",
                        json={"LastName": f"{tag}-{n}-{i}"},
                        timeout=30,
                    )
                except requests.RequestException:
                    return  # the server was killed: what was acknowledged is counted
                if answer.status_code == 201:
                    with lock:
                        acknowledged.append(answer.json()["id"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return acknowledged


def stored_ids(control: ControlClient, org_id: str) -> set[str]:
    return {r["Id"] for r in control.org(org_id).records("Contact", False)}


def test_concurrent_writers_then_kill_9_lose_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "orgs"
    process, url = start(db, tmp_path)
    try:
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.org(org_id).settings(api_daily_limit=10**6)
        token = control.org(org_id).session_for("admin@test.org")["access_token"]
        acknowledged = write_contacts(url, token, "before-kill")
        assert len(acknowledged) == WRITERS * WRITES_EACH, f"{len(acknowledged)} acknowledged"
        assert len(set(acknowledged)) == len(acknowledged), "two writes got one id"
    finally:
        kill_all(process)
    process, url = start(db, tmp_path)
    try:
        missing = set(acknowledged) - stored_ids(ControlClient(url), org_id)
        assert not missing, (
            f"{len(missing)} acknowledged writes lost to kill -9: {sorted(missing)[:5]}"
        )
    finally:
        kill_all(process)
