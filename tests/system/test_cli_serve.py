"""``python -m mock_salesforce serve`` as a real subprocess, over HTTP and HTTPS."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from .serving import BANNER_URL, start

CA_LINE = re.compile(r"trust this CA file:\s+(\S+)")


@pytest.fixture
def stop() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_serve_prints_banner_and_answers_with_demo_org(
    tmp_path: Path, stop: list[subprocess.Popen[str]]
) -> None:
    process, lines = start(cwd=tmp_path)
    stop.append(process)
    banner = "\n".join(lines)
    match = BANNER_URL.search(banner)
    assert match, banner
    assert "admin@acme.demo" in banner and "client_id" in banner, banner
    url = match.group(1)
    orgs = requests.get(f"{url}/_mock/orgs", timeout=10).json()
    assert [o["name"] for o in orgs] == ["Acme Demo"], orgs
    assert requests.get(f"{url}/services/data", timeout=10).status_code == 200


def test_serve_with_tls_is_trusted_through_the_printed_ca(
    tmp_path: Path, stop: list[subprocess.Popen[str]]
) -> None:
    process, lines = start("--tls", cwd=tmp_path)
    stop.append(process)
    banner = "\n".join(lines)
    url_match, ca_match = BANNER_URL.search(banner), CA_LINE.search(banner)
    assert url_match and ca_match, banner
    url = url_match.group(1)
    assert url.startswith("https://"), url
    response = requests.get(f"{url}/services/data", verify=ca_match.group(1), timeout=10)
    assert response.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{url}/services/data", timeout=10)


def test_serve_with_db_keeps_state_across_restarts(
    tmp_path: Path, stop: list[subprocess.Popen[str]]
) -> None:
    db = tmp_path / "state"
    process, lines = start("--db", str(db), cwd=tmp_path)
    url = BANNER_URL.search("\n".join(lines)).group(1)  # type: ignore[union-attr]
    org_id = requests.get(f"{url}/_mock/orgs", timeout=10).json()[0]["id"]
    created = requests.post(
        f"{url}/_mock/orgs/{org_id}/users", json={"username": "kept@acme.demo"}, timeout=10
    )
    assert created.status_code == 201, created.text
    process.terminate()
    process.wait(timeout=10)
    assert process.stdout is not None
    process.stdout.close()

    again, lines = start("--db", str(db), cwd=tmp_path)
    stop.append(again)
    url = BANNER_URL.search("\n".join(lines)).group(1)  # type: ignore[union-attr]
    orgs = requests.get(f"{url}/_mock/orgs", timeout=10).json()
    assert [o["id"] for o in orgs] == [org_id], "the restart must not seed a second demo org"
    user = requests.get(f"{url}/_mock/orgs/{org_id}/users/kept@acme.demo", timeout=10)
    assert user.status_code == 200, user.text
