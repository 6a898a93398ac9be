"""The Salesforce CLI (optional): log in with an access token, then query, against the mock.

Runs only where an ``sf`` executable is available (``SF_CLI=/path/to/sf`` or ``sf`` on PATH);
CI does not install it (see docs/clients.md for the versions that run on Node.js 20). The CLI
keeps its state under ``HOME``, so each test gets its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.serving.tls import TlsFiles

CLI_TIMEOUT_SECONDS = 120


def sf_or_skip() -> str:
    cli = os.environ.get("SF_CLI") or shutil.which("sf")
    if not cli:
        pytest.skip("sf CLI not found (optional: set SF_CLI or put sf on PATH; docs/clients.md)")
    return cli


def run_sf(cli: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    run = subprocess.run(
        [cli, *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
    assert run.returncode == 0, f"sf {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
    answer: dict[str, Any] = json.loads(run.stdout)
    return answer


def test_sf_cli_logs_in_with_an_access_token_and_queries(
    https_org: OrgHandle, mock_tls: TlsFiles, tmp_path: Path
) -> None:
    cli = sf_or_skip()
    https_org.control.seed_records(
        "Account", [{"Name": f"Account {i:04d}"} for i in range(2100)], as_user="user@test.org"
    )
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "NODE_EXTRA_CA_CERTS": str(mock_tls.ca_cert),
        "SF_ACCESS_TOKEN": https_org.token("user@test.org"),
        "SF_DISABLE_TELEMETRY": "true",
        "SF_AUTOUPDATE_DISABLE": "true",
    }
    login = run_sf(
        cli,
        env,
        "org",
        "login",
        "access-token",
        "--instance-url",
        https_org.base_url,
        "--no-prompt",
        "--alias",
        "mock",
    )
    assert login["result"]["username"] == "user@test.org", login
    assert login["result"]["orgId"] == https_org.id, login
    soql = "SELECT Id, Name, Owner.Name FROM Account ORDER BY Name"
    query = run_sf(cli, env, "data", "query", "--target-org", "mock", "--query", soql)
    records = query["result"]["records"]
    assert query["result"]["totalSize"] == 2100 and len(records) == 2100, query["result"]
    assert records[0]["Name"] == "Account 0000", records[0]
    assert records[0]["Owner"]["Name"] == "Uma User", records[0]
