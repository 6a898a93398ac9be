"""Every fenced block of README.md, CONTRIBUTING.md and docs/ is run by a test, or says why not.

Python blocks run as written (a block with ``def test_`` under pytest in a fresh folder, with the
installed plugin; any other as a script); the control plane's JSON and YAML examples are sent
to a live server; every SOQL line of docs/soql.md is queried; README's curl session runs
against ``serve``. Commands for the reader's own machine (make, docker, npm, the sf CLI) and
diagrams are listed in ``NOT_RUN`` with the reason; a new block that is in neither place fails
``test_every_block_is_run_or_says_why``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from mock_salesforce.__main__ import build_parser
from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
COMMANDS = "commands for the reader's machine; .ci/run runs these targets itself"
NOT_RUN = {
    ("README.md", "make serve   # the mock with its demo org"): COMMANDS,
    ("README.md", "docker build -t mock-salesforce ."): "make image-test (.ci/container-smoke)",
    ("README.md", "make lint    # ruff and mypy (strict)"): COMMANDS,
    ("CONTRIBUTING.md", "make test        # installs the package"): COMMANDS,
    ("docs/clients.md", "make test-clients            # both suites"): COMMANDS,
    ("docs/clients.md", "cd tests/clients/js && npm ci"): "tests/clients/test_jsforce.py",
    ("docs/clients.md", "import jsforce from 'jsforce';"): "tests/clients/js runs jsforce",
    ("docs/clients.md", "make serve SERVE_ARGS=--tls"): "tests/clients/test_sf_cli.py",
    ("docs/clients.md", "# settings.py (tests/clients/django_app/settings.py)"): (
        "a Django settings fragment; tests/clients/test_django_salesforce.py runs it"
    ),
    ("docs/clients.md", "import httpx"): "an excerpt of tests/clients/test_aiosalesforce.py",
    ("docs/integration.md", "import requests"): "tests/unit/integration/test_integration_docs.py",
    (
        "docs/writing-scenarios.md",
        "@permissions",
    ): "a scenario sketch; features/ hold the real ones",
    ("docs/writing-scenarios.md", "make test "): COMMANDS,
}


@dataclass(frozen=True)
class Block:
    path: str
    line: int
    lang: str
    text: str

    @property
    def first(self) -> str:
        return self.text.splitlines()[0] if self.text else ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def all_blocks() -> list[Block]:
    found = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            relative = str(path.relative_to(ROOT))
            found.append(Block(relative, line, match.group(1), match.group(2)))
    return found


def kind(block: Block) -> str | None:
    """How a block is run ("python", "pytest", ...), "not run" with a reason, or None."""
    if any(block.path == p and block.first.startswith(f) for p, f in NOT_RUN):
        return "not run"
    if block.lang == "":
        return "not run"  # diagrams and trees, not code
    if block.lang == "python":
        return "pytest" if "def test_" in block.text else "python"
    if block.lang == "sh" and "$MOCK" in block.text and "curl" in block.text:
        return "curl"
    if block.lang == "json":
        return "fault" if '"match"' in block.text else "grants"
    if block.lang == "yaml" and block.path == "docs/ci.md":
        return "ci"
    return {"yaml": "seed", "sql": "soql"}.get(block.lang)


def blocks_of(wanted: str) -> list[Any]:
    return [pytest.param(b, id=str(b)) for b in all_blocks() if kind(b) == wanted]


def one(wanted: str) -> Block:
    [block] = [b for b in all_blocks() if kind(b) == wanted]
    return block


def test_every_block_is_run_or_says_why() -> None:
    unclassified = [f"{b} ({b.lang}: {b.first})" for b in all_blocks() if kind(b) is None]
    assert unclassified == [], "add a way to run these, or a reason in NOT_RUN"
    stale = [
        k
        for k in NOT_RUN
        if not any(b.path == k[0] and b.first.startswith(k[1]) for b in all_blocks())
    ]
    assert stale == [], "NOT_RUN names blocks that are gone"


def clean_env() -> dict[str, str]:
    """The environment of a new shell: no pytest variables, no CA bundle exported by a fixture."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("REQUESTS_CA_BUNDLE", None)
    return env


@pytest.mark.parametrize("block", blocks_of("python"))
def test_python_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", block.text],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{block}\n{run.stdout}\n{run.stderr}"


@pytest.mark.parametrize("block", blocks_of("pytest"))
def test_pytest_block_passes_as_written(block: Block, tmp_path: Path) -> None:
    (tmp_path / "test_snippet.py").write_text(block.text)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "test_snippet.py",
        ],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and " passed" in run.stdout, f"{block}\n{run.stdout}\n{run.stderr}"


def test_the_grants_example_is_accepted(sf_org: OrgHandle) -> None:
    grants = json.loads(one("grants").text)
    created = sf_org.control.create_permission_set("Doc_Grants", **grants)
    assert created["objects"]["Contact"] == ["Read", "Create", "Edit"], created
    assert created["objects"]["Task"] == [], created


def test_the_fault_example_is_accepted(sf_org: OrgHandle) -> None:
    rule = json.loads(one("fault").text)
    added = sf_org.control.add_fault(**rule)
    assert added["id"] == "lock-on-contacts", added
    assert added["error_code"] == "UNABLE_TO_LOCK_ROW" and added["nth"] == 1, added


def test_the_seed_example_seeds_an_org(mock_salesforce_control: ControlClient) -> None:
    [org] = mock_salesforce_control.seed(yaml.safe_load(one("seed").text))
    try:
        control = mock_salesforce_control.org(org["id"])
        [account] = control.records("Account")
        [contact] = control.records("Contact")
        assert contact["AccountId"] == account["Id"], (account, contact)
        assert account["OwnerId"] == org["users"]["alice@acme.test"], (account, org)
    finally:
        mock_salesforce_control.delete_org(org["id"])


def soql_lines() -> list[Any]:
    lines = [re.split(r"\s--\s", line)[0].strip() for line in one("soql").text.splitlines()]
    return [pytest.param(q, id=q[:60]) for q in lines if q]


@pytest.mark.parametrize("soql", soql_lines())
def test_each_documented_soql_line_is_answered(soql: str, sf_org: OrgHandle) -> None:
    if "Interests__c" in soql:  # the page's multi-select picklist example
        values = ["Golf", "Tennis", "Chess"]
        sf_org.control.add_field("Contact", "Interests__c", type="multipicklist", values=values)
    answer = sf_org.api("admin@test.org").get("/query", params={"q": soql})
    assert answer.status_code == 200, f"{soql}\n{answer.text}"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_session_runs_against_serve(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_salesforce", "serve", "--port", "0", "--quiet"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = next(line for line in process.stdout if "base URL" in line)
        url = banner.split()[-1]
        script = re.sub(r"^MOCK=.*$", f"MOCK={url}", one("curl").text, flags=re.M)
        run = subprocess.run(["bash", "-ec", script], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert '"DailyApiRequests"' in run.stdout, run.stdout
        assert requests.get(f"{url}/_mock/health", timeout=10).json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.parametrize("block", blocks_of("ci"))
def test_ci_example_uses_the_real_cli_and_health_endpoint(block: Block) -> None:
    assert isinstance(yaml.safe_load(block.text), dict), block
    parser = build_parser()
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    known = {f"MOCK_SALESFORCE_{a.dest.upper()}" for a in serve._actions if a.dest != "help"}
    used = set(re.findall(r"MOCK_SALESFORCE_[A-Z_]+", block.text))
    assert used <= known, f"{block}: {sorted(used - known)} are not read by serve"
    for command in re.findall(r"python -m mock_salesforce (serve[^&\n]*)", block.text):
        parser.parse_args(shlex.split(command))
    if "health" in block.text:
        assert "/_mock/health" in block.text, block
