"""The request log's line is written once the call is committed (app.create_app): a create's
write lock is not held while the line is formatted and written."""

from __future__ import annotations

import logging

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
