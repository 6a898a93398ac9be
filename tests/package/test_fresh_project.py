"""This repository installed into a fresh project, as a new user would (``make test-package``).

A new virtualenv in a temporary folder gets ``pip install <this repository>`` and
simple-salesforce (pip's wheel cache makes repeated runs quick); then the README's intercept
example runs as written, the project's own tests pass through ``sf_intercept``, the TLS
live-server fixture and ``sf_org`` with a dead proxy exported, ``integration`` is not
importable, and ``serve`` with ``--host 0.0.0.0 --base-url`` answers its health check the way
the container image runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PROJECT = Path(__file__).parent / "project"

pytestmark = [
    pytest.mark.package,
    pytest.mark.skipif(
        not os.environ.get("MOCK_SALESFORCE_PACKAGE_TEST"),
        reason="builds a fresh virtualenv from the package registry: run by make test-package",
    ),
]


def readme_intercept_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    found = [b for b in blocks if "intercept()" in b and "__main__" not in b]
    assert found, "README.md has no python block using intercept()"
    return found[0]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{args} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "VIRTUAL_ENV"))}
    env.pop("REQUESTS_CA_BUNDLE", None)
    return {**env, **extra}


def test_a_fresh_project_installs_the_mock_and_its_fixtures_work(tmp_path: Path) -> None:
    python = tmp_path / "venv" / "bin" / "python"
    run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path)
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, ROOT, "simple-salesforce", "pytest", cwd=tmp_path, env=clean_env())
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "readme_example.py").write_text(readme_intercept_example())

    assert "created" in run(python, "readme_example.py", cwd=project, env=clean_env())
    dead_proxy = "http://127.0.0.1:9"
    proxied = clean_env(HTTP_PROXY=dead_proxy, HTTPS_PROXY=dead_proxy, NO_PROXY="")
    out = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project, env=proxied)
    assert "3 passed" in out, out
    lost = subprocess.run([python, "-c", "import integration"], cwd=project, capture_output=True)
    assert lost.returncode != 0, "the distribution installed a top-level 'integration' package"
    serve_like_the_container(python, project)


def serve_like_the_container(python: Path, cwd: Path) -> None:
    env = clean_env(
        MOCK_SALESFORCE_HOST="0.0.0.0",
        MOCK_SALESFORCE_PORT="0",
        MOCK_SALESFORCE_BASE_URL="http://mock.example:8765",
        MOCK_SALESFORCE_CONTROL_TOKEN="package-token",
    )
    process = subprocess.Popen(
        [python, "-m", "mock_salesforce", "serve", "--quiet"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        listening = next(line for line in process.stdout if "listening on" in line)
        port = re.search(r":(\d+)", listening.split("listening on:", 1)[1]).group(1)  # type: ignore[union-attr]
        health = requests.get(f"http://127.0.0.1:{port}/_mock/health", timeout=10)
        assert health.json()["status"] == "ok", health.text
        token = {"X-Mock-Control-Token": "package-token"}
        orgs = requests.get(f"http://127.0.0.1:{port}/_mock/orgs", headers=token, timeout=10)
        orgs = orgs.json()
        assert orgs[0]["instance_url"] == "http://mock.example:8765", orgs
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
