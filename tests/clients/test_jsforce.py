"""jsforce (unmodified, pinned in tests/clients/js/package-lock.json) against the mock over HTTPS.

The JavaScript tests live in ``tests/clients/js/test/`` and run with Node's own test runner;
this test starts them against the session's HTTPS server, trusting the mock's CA through
``NODE_EXTRA_CA_CERTS``. It is skipped, with the reason, where Node.js or the installed
dependencies are missing (``npm ci`` in tests/clients/js; ``.ci/run`` does it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.tls import TlsFiles

JS_PROJECT = Path(__file__).parent / "js"
NODE_TIMEOUT_SECONDS = 300


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("jsforce tests need Node.js (node is not on PATH)")
    if not (JS_PROJECT / "node_modules" / "jsforce").is_dir():
        pytest.skip("jsforce tests need their dependencies: run `npm ci` in tests/clients/js")
    return node


def js_test_files() -> list[str]:
    return sorted(str(p.relative_to(JS_PROJECT)) for p in (JS_PROJECT / "test").glob("*.test.js"))


def test_jsforce_suite_passes(https_server: LiveServer, mock_tls: TlsFiles) -> None:
    node = node_or_skip()
    env = {
        **os.environ,
        "MOCK_SF_URL": https_server.url,
        # Node adds these to its bundled roots; it ignores REQUESTS_CA_BUNDLE and friends.
        "NODE_EXTRA_CA_CERTS": str(mock_tls.ca_cert),
    }
    run = subprocess.run(
        [node, "--test", "--test-reporter=spec", *js_test_files()],
        cwd=JS_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECONDS,
        check=False,
    )
    assert run.returncode == 0, f"jsforce tests failed:\n{run.stdout}\n{run.stderr}"
