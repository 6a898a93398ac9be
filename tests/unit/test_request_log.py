"""The request log's line is written once the call is committed (app.create_app): a create's
write lock is not held while the line is formatted and written."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

from mock_salesforce.app import create_app
from mock_salesforce.pipeline import requestlog
from mock_salesforce.pytest_plugin import DEFAULT_ORG


class _Seen(logging.Handler):
    def __init__(self, app_state: object, org_id: str) -> None:
        super().__init__()
        self.registry = app_state.registry  # type: ignore[attr-defined]
        self.org_id = org_id
        self.lines: list[tuple[str, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        store = self.registry.get(self.org_id)
        self.lines.append((record.getMessage(), store.conn.in_transaction))


def test_a_create_is_logged_after_its_write_is_committed() -> None:
    app = create_app()
    client = app.test_client()
    org_id = client.post("/_mock/seed", json={"orgs": [DEFAULT_ORG]}).get_json()[0]["id"]
    token = client.post(f"/_mock/orgs/{org_id}/users/admin@test.org/sessions", json={}).get_json()
    seen = _Seen(app.extensions["mock_salesforce"], org_id)
    requestlog.log.addHandler(seen)
    level = requestlog.log.level
    requestlog.log.setLevel(logging.INFO)
    try:
        made = client.post(
            "/services/data/v59.0/sobjects/Contact",
            json={"LastName": "Logged"},
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
    finally:
        requestlog.log.removeHandler(seen)
        requestlog.log.setLevel(level)
    assert made.status_code == 201, made.get_data(as_text=True)
    assert len(seen.lines) == 1, seen.lines
    line, open_transaction = seen.lines[0]
    assert "POST /services/data/v59.0/sobjects/Contact 201" in line, line
    assert not open_transaction, f"the line was logged inside the call's transaction: {line}"


_SERVED_LOG = r"""
import logging, re, sys
from mock_salesforce.app import create_app
from mock_salesforce.pipeline import requestlog
from mock_salesforce.pytest_plugin import DEFAULT_ORG

requestlog.configure(False)
app = create_app()
client = app.test_client()
client.get("/services/data")
records = []

class Capture(logging.Handler):
    def emit(self, record):
        records.append(self.format(record))

capture = Capture()
capture.setFormatter(logging.root.handlers[0].formatter)
requestlog.log.addHandler(capture)
client.get("/services/data/v59.0")
requestlog.log.removeHandler(capture)
client.get("/services/data/")
print("CAPTURED", records, file=sys.stderr)
parent = logging.getLogger("mock_salesforce")
parent.addHandler(capture)
client.get("/services/data/v58.0")
parent.removeHandler(capture)
print("CAPTURED ON THE PARENT", records[1:], file=sys.stderr)
handler = logging.root.handlers[0]
handler.setFormatter(logging.Formatter("CUSTOM %(levelname)s %(message)s"))
print("WITH ANOTHER FORMAT", client.get("/services/data/v57.0").status_code, file=sys.stderr)
handler.stream = open(__import__("os").devnull, "w")
handler.stream.close()  # a closed (or broken) stderr
logging.raiseExceptions = False
print("WITH A CLOSED STREAM", client.get("/services/data").status_code, file=sys.stderr)
"""


def test_a_handler_added_to_the_request_log_gets_the_lines_the_serve_log_writes() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _SERVED_LOG], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line[:1].isdigit()]
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO "
    expected = [
        "GET /services/data 200",  # written directly: serve's handler is the only one
        "GET /services/data/v59.0 401",  # through logging, to the added handler and stderr
        "GET /services/data 200",  # directly again once it is removed
    ]
    assert len(lines) == 4, run.stderr
    for logged, start in zip(lines[:3], expected, strict=True):
        assert re.match(stamp + re.escape(start), logged), (logged, start)
    captured = run.stderr.split("CAPTURED ", 1)[1].split("\n", 1)[0]
    assert "INFO GET /services/data/v59.0 401" in captured, captured
    assert captured.count("INFO GET") == 1, captured
    on_parent = run.stderr.split("CAPTURED ON THE PARENT ", 1)[1].split("\n", 1)[0]
    assert "INFO GET /services/data/v58.0 401" in on_parent, on_parent
    assert "CUSTOM INFO GET /services/data/v57.0 401" in run.stderr, run.stderr
    assert "WITH ANOTHER FORMAT 401" in run.stderr, run.stderr
    assert "WITH A CLOSED STREAM 200" in run.stderr, run.stderr
