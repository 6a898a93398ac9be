"""The record read's lane (``rest/lane.py``) answers exactly as Flask's path does: the same
status, headers (in order) and body, the same journal entry, the same API usage, the same
request-log line. Each case is asked with the lane on and with it off (``LANE``), one call
after the other, and the lane must have served the calls it is for."""

from __future__ import annotations

import logging
import re
import types
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from flask import Flask

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.records import dml
from mock_salesforce.rest.lane import Lane

API = "/services/data/v{version}/sobjects/{sobject}/{id}"
_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
# What a journal entry records about the call itself, not when or in what order.
_WHEN = ("seq", "time", "duration_ms")


@pytest.fixture
def lane(mock_salesforce_app: Flask) -> Iterator[Lane]:
    found: Lane = mock_salesforce_app.extensions["mock_salesforce.lane"]
    yield found
    mock_salesforce_app.config["LANE"] = True


def _both(
    app: Flask, lane: Lane, org: OrgHandle, call: Callable[[], requests.Response]
) -> tuple[requests.Response, requests.Response, list[dict[str, Any]], int]:
    """``call`` with the lane on, then off: both answers, both journal entries (oldest
    first), and how many of the two the lane served. The org's clock stands still meanwhile:
    two calls a second apart would stamp their records with different times."""
    org.control.set_clock(datetime.now(UTC).isoformat(), frozen=True)
    served = lane.served
    app.config["LANE"] = True
    on = call()
    app.config["LANE"] = False
    off = call()
    app.config["LANE"] = True
    entries = sorted(org.control.journal(), key=lambda e: e["seq"])[-2:]
    return on, off, entries, lane.served - served


def _same_answer(
    on: requests.Response, off: requests.Response, ordered: bool, counted: bool = True
) -> None:
    assert (on.status_code, on.content) == (off.status_code, off.content), (on.text, off.text)
    assert on.reason == off.reason, (on.reason, off.reason)
    on_headers = [(k, v) for k, v in on.raw.headers.items() if k.lower() not in ("date",)]
    off_headers = [(k, v) for k, v in off.raw.headers.items() if k.lower() not in ("date",)]
    on_usage = _usage(on_headers)
    off_usage = _usage(off_headers)
    if on_usage is not None or off_usage is not None:
        # The second call is counted after the first: one more, same allocation.
        assert on_usage is not None and off_usage is not None, (on_headers, off_headers)
        more = 1 if counted else 0
        assert off_usage == (on_usage[0] + more, on_usage[1]), (on_usage, off_usage)
    on_rest = [(k, v) for k, v in on_headers if k != "Sforce-Limit-Info"]
    off_rest = [(k, v) for k, v in off_headers if k != "Sforce-Limit-Info"]
    if ordered:
        assert [k for k, _ in on_headers] == [k for k, _ in off_headers], (on_headers, off_headers)
        assert on_rest == off_rest, (on_rest, off_rest)
    else:
        assert sorted(on_rest) == sorted(off_rest), (on_rest, off_rest)


def _usage(headers: list[tuple[str, str]]) -> tuple[int, int] | None:
    for name, value in headers:
        if name == "Sforce-Limit-Info":
            found = _USAGE.fullmatch(value)
            assert found, value
            return int(found.group(1)), int(found.group(2))
    return None


def _same_entries(entries: list[dict[str, Any]]) -> None:
    on, off = ({k: v for k, v in e.items() if k not in _WHEN} for e in entries)
    assert on == off, entries
    assert entries[1]["seq"] == entries[0]["seq"] + 1, entries


def _contact(org: OrgHandle, **fields: Any) -> str:
    api = org.api("admin@test.org")
    made = api.post(f"{api.base}/sobjects/Contact", json={"LastName": "Lane", **fields})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@pytest.mark.parametrize("transport", ["http", "inprocess"])
@pytest.mark.parametrize(
    ("version", "sobject", "id_length"),
    [("59.0", "Contact", 18), ("59.0", "Contact", 15), ("45.0", "contact", 18)],
)
def test_a_plain_record_read_is_answered_by_the_lane_exactly_as_by_flask(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    sf_inprocess: requests.Session,
    transport: str,
    version: str,
    sobject: str,
    id_length: int,
) -> None:
    record = _contact(sf_org, Email="lane@x.test")[:id_length]
    url = sf_org.base_url + API.format(version=version, sobject=sobject, id=record)
    http = sf_inprocess if transport == "inprocess" else requests.Session()
    token = sf_org.token("admin@test.org")
    on, off, entries, served = _both(
        mock_salesforce_app,
        lane,
        sf_org,
        lambda: http.get(url, headers={"Authorization": f"Bearer {token}"}),
    )
    assert served == 1, "the lane did not serve the plain read"
    assert on.status_code == 200, on.text
    assert "ETag" in on.headers and "Last-Modified" in on.headers, on.headers
    _same_answer(on, off, ordered=transport == "inprocess")
    _same_entries(entries)
    assert entries[0]["sobject"] == "Contact" and entries[0]["operation"] == "retrieve_record"


def test_a_user_reads_only_the_fields_it_may_through_the_lane(
    mock_salesforce_app: Flask, lane: Lane, sf_org: OrgHandle
) -> None:
    api = sf_org.api("user@test.org")
    made = api.post(f"{api.base}/sobjects/Contact", json={"LastName": "Own", "Email": "o@x.test"})
    assert made.status_code == 201, made.text
    sf_org.control.update_profile("Standard User", fields={"Contact.Email": "none"})
    record = made.json()["id"]
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: api.get(f"{api.base}/sobjects/Contact/{record}")
    )
    assert on.status_code == 200 and "Email" not in on.json(), on.text
    assert served == 1
    _same_answer(on, off, ordered=False)
    _same_entries(entries)


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("no such record", lambda org, rid: (rid[:-6] + "AAAAAA", {})),
        ("a bad token", lambda org, rid: (rid, {"Authorization": "Bearer 00D!nope"})),
        (
            "If-Modified-Since",
            lambda org, rid: (rid, {"If-Modified-Since": "Sun, 01 Jan 2090 00:00:00 GMT"}),
        ),
        ("no such object", lambda org, rid: (rid, {"_sobject": "Widget__c"})),
        ("an id of another object", lambda org, rid: ("001500000000001AAA", {})),
    ],
)
def test_a_call_the_lane_does_not_finish_is_answered_by_flask_as_before(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    case: str,
    make: Callable[[OrgHandle, str], tuple[str, dict[str, str]]],
) -> None:
    record, headers = make(sf_org, _contact(sf_org))
    sobject = headers.pop("_sobject", "Contact")
    headers.setdefault("Authorization", f"Bearer {sf_org.token('admin@test.org')}")
    url = sf_org.base_url + API.format(version="59.0", sobject=sobject, id=record)
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: requests.get(url, headers=headers)
    )
    assert served == 0, f"{case}: the lane answered"
    assert on.status_code != 200, f"{case}: {on.status_code} {on.text}"
    _same_answer(on, off, ordered=False)
    if entries[0]["path"].endswith(record):
        _same_entries(entries)


def test_a_used_up_allocation_is_refused_by_flask_not_the_lane(
    mock_salesforce_app: Flask, lane: Lane, sf_org: OrgHandle
) -> None:
    record = _contact(sf_org)
    used = int(
        _USAGE.search(
            sf_org.api("admin@test.org")
            .get(f"{sf_org.base_url}/services/data/v59.0/limits")
            .headers["Sforce-Limit-Info"]
        ).group(1)
    )
    sf_org.control.settings(api_daily_limit=used)
    api = sf_org.api("admin@test.org")
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: api.get(f"{api.base}/sobjects/Contact/{record}")
    )
    assert served == 0
    assert (on.status_code, on.json()[0]["errorCode"]) == (403, "REQUEST_LIMIT_EXCEEDED"), on.text
    _same_answer(on, off, ordered=False, counted=False)  # a refused call is not counted
    _same_entries(entries)


def test_the_lane_writes_the_same_request_log_line(
    mock_salesforce_app: Flask, lane: Lane, sf_org: OrgHandle, caplog: pytest.LogCaptureFixture
) -> None:
    record = _contact(sf_org)
    api = sf_org.api("admin@test.org")
    with caplog.at_level(logging.INFO, logger="mock_salesforce.requests"):
        _, _, _, served = _both(
            mock_salesforce_app,
            lane,
            sf_org,
            lambda: api.get(f"{api.base}/sobjects/Contact/{record}"),
        )
    lines = [re.sub(r" [\d.]+ms ", " <ms> ", r.getMessage()) for r in caplog.records]
    lines = [line for line in lines if record in line]
    assert served == 1 and len(lines) == 2 and lines[0] == lines[1], lines
    assert lines[0].endswith(f"200 <ms> user=admin@test.org org={sf_org.id}"), lines


def test_a_hook_added_after_the_app_was_made_sends_every_read_to_flask() -> None:
    from mock_salesforce.app import create_app
    from mock_salesforce.pytest_plugin import DEFAULT_ORG
    from mock_salesforce.pytest_plugin.control_client import ControlClient
    from mock_salesforce.serving.server import LiveServer

    app = create_app()
    seen: list[str] = []
    app.before_request(lambda: seen.append("hook") and None)
    server = LiveServer(app).start()
    try:
        control = ControlClient(server.url)
        org = control.org(control.seed({"orgs": [DEFAULT_ORG]})[0]["id"])
        token = org.session_for("admin@test.org")["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        made = requests.post(
            f"{server.url}/services/data/v59.0/sobjects/Contact",
            json={"LastName": "H"},
            headers=headers,
        )
        seen.clear()
        got = requests.get(
            f"{server.url}/services/data/v59.0/sobjects/Contact/{made.json()['id']}",
            headers=headers,
        )
        assert got.status_code == 200, got.text
        assert seen == ["hook"], "the app's own hook did not run for the read"
        assert app.extensions["mock_salesforce.lane"].served == 0
    finally:
        server.stop()


def _created(response: requests.Response) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _without(record_id: str, value: Any) -> Any:
    """``value`` (text, bytes, headers or a journal entry) with the new record's id blanked."""
    if isinstance(value, bytes):
        return value.replace(record_id.encode(), b"<id>")
    if isinstance(value, str):
        return value.replace(record_id, "<id>")
    if isinstance(value, list):
        return [_without(record_id, v) for v in value]
    if isinstance(value, tuple):
        return tuple(_without(record_id, v) for v in value)
    if isinstance(value, dict):
        return {k: _without(record_id, v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("transport", ["http", "inprocess"])
@pytest.mark.parametrize(
    ("sobject", "fields", "headers"),
    [
        ("Contact", {"LastName": "Lane", "Email": "c@x.test", "Title": "Boss"}, {}),
        ("contact", {"FirstName": "Ünï", "LastName": "Cödé"}, {}),
        ("Lead", {"LastName": "L", "Company": "Co"}, {"Sforce-Auto-Assign": "FALSE"}),
        ("Lead", {"LastName": "L", "Company": "Co"}, {}),
        ("Task", {"Subject": "Call", "Status": "Completed"}, {}),
    ],
)
def test_a_plain_create_is_answered_by_the_lane_exactly_as_by_flask(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    sf_inprocess: requests.Session,
    transport: str,
    sobject: str,
    fields: dict[str, Any],
    headers: dict[str, str],
) -> None:
    http = sf_inprocess if transport == "inprocess" else requests.Session()
    sent = {"Authorization": f"Bearer {sf_org.token('admin@test.org')}", **headers}
    # The org's lead assignment rule gives new leads to the user, unless the call says not to.
    sf_org.control.settings(lead_assignment_owner="user@test.org")
    url = f"{sf_org.base_url}/services/data/v59.0/sobjects/{sobject}"
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: http.post(url, json=fields, headers=sent)
    )
    assert served == 1, "the lane did not serve the plain create"
    made = _created(on), _created(off)
    # The same answer but for the new record's id (its own, one after the other's).
    blank_on = _Answer(on, made[0])
    blank_off = _Answer(off, made[1])
    _same_answer(blank_on, blank_off, ordered=transport == "inprocess")  # type: ignore[arg-type]
    _same_entries([_without(made[0], entries[0]), _without(made[1], entries[1])])
    records = {r["Id"]: r for r in sf_org.control.records(sobject.capitalize())}
    first, second = ({k: v for k, v in records[i].items() if k not in ("Id",)} for i in made)
    assert first == second, (first, second)
    if sobject == "Lead":
        admin = sf_org.control.user("admin@test.org")["id"]
        assigned = headers.get("Sforce-Auto-Assign") != "FALSE"
        assert (first["OwnerId"] == admin) != assigned, (headers, first["OwnerId"])


class _Answer:
    """A response with one record id blanked, for ``_same_answer``."""

    def __init__(self, response: requests.Response, record_id: str) -> None:
        self.status_code = response.status_code
        self.reason = response.reason
        self.content = _without(record_id, response.content)
        self.text = _without(record_id, response.text)
        self.raw = types.SimpleNamespace(headers=self)
        self._items = [(k, _without(record_id, v)) for k, v in response.raw.headers.items()]

    def items(self) -> list[tuple[str, str]]:
        return self._items


@pytest.mark.parametrize(
    ("case", "body", "status"),
    [
        ("a required field missing", b'{"FirstName": "No"}', 400),
        ("not JSON", b'{"LastName": ', 400),
        ("an array", b'[{"LastName": "A"}]', 400),
        ("an unknown field", b'{"LastName": "A", "Nope__c": 1}', 400),
        ("a read-only field", b'{"LastName": "A", "Name": "B"}', 400),
        ("an id", b'{"LastName": "A", "Id": "003500000000001AAA"}', 400),
    ],
)
def test_a_create_the_lane_does_not_finish_leaves_nothing_and_flask_answers_it(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    case: str,
    body: bytes,
    status: int,
) -> None:
    api = sf_org.api("admin@test.org")
    url = f"{api.base}/sobjects/Contact"
    json_type = {"Content-Type": "application/json"}
    before = _created(api.post(url, json={"LastName": "Before"}))
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: api.post(url, data=body, headers=json_type)
    )
    after = _created(api.post(url, json={"LastName": "After"}))
    assert served == 0, f"{case}: the lane answered"
    assert on.status_code == status, f"{case}: {on.status_code} {on.text}"
    _same_answer(on, off, ordered=False)
    _same_entries(entries)
    names = sorted(r["LastName"] for r in sf_org.control.records("Contact"))
    assert names == ["After", "Before"], f"{case}: {names}"
    # No id was used up by the refused attempts: the next create took the next one.
    assert int(after[6:15], 36) == int(before[6:15], 36) + 1, (before, after)


def test_a_lane_write_that_fails_after_its_write_keeps_nothing_and_flask_stores_it_once(
    lane: Lane, sf_org: OrgHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the lane's write went in, before the call's record: the write held open
    for that record is rolled back, and Flask serves the call from scratch (one record, one
    journal entry), as it would any call the lane does not finish."""
    real_create = dml.create
    failed: list[str] = []

    def create_then_fail(*args: Any, **kwargs: Any) -> str:
        record_id = real_create(*args, **kwargs)
        if not failed:  # the lane's attempt; Flask's goes through
            failed.append(record_id)
            raise RuntimeError("a failure after the write")
        return record_id

    monkeypatch.setattr(dml, "create", create_then_fail)
    api = sf_org.api("admin@test.org")
    served = lane.served
    response = api.post(f"{api.base}/sobjects/Contact", json={"LastName": "Once"})
    assert response.status_code == 201, response.text
    assert failed, "the lane did not attempt the create"
    assert lane.served == served, "the lane answered a call it failed"
    names = [r["LastName"] for r in sf_org.control.records("Contact")]
    assert names == ["Once"], names
    creates = [e for e in sf_org.control.journal() if e["method"] == "POST"]
    assert [e["status"] for e in creates] == [201], creates


@pytest.mark.parametrize(("cap", "value"), [("MAX_BODY_BYTES", 40), ("MAX_CONTENT_LENGTH", 5)])
def test_a_create_over_a_lowered_body_cap_is_refused_by_flask_not_served_by_the_lane(
    mock_salesforce_app: Flask, lane: Lane, sf_org: OrgHandle, cap: str, value: int
) -> None:
    api = sf_org.api("admin@test.org")
    before = mock_salesforce_app.config[cap]
    mock_salesforce_app.config[cap] = value
    try:
        served = lane.served
        answer = api.post(f"{api.base}/sobjects/Contact", json={"LastName": "x" * 60})
    finally:
        mock_salesforce_app.config[cap] = before
    assert lane.served == served, f"the lane served a body over {cap}"
    assert answer.status_code == 413, answer.text
    assert answer.json()[0]["errorCode"] == "REQUEST_ENTITY_TOO_LARGE", answer.text
    assert [r["LastName"] for r in sf_org.control.records("Contact")] == [], "a record was made"


@pytest.mark.parametrize("transport", ["http", "inprocess"])
@pytest.mark.parametrize(
    ("fields", "headers"),
    [
        ({"Title": "Lead engineer", "Email": None}, {}),
        ({"LastName": "Renamed", "Description": "Ünïcode ✓"}, {"Sforce-Auto-Assign": "FALSE"}),
    ],
)
def test_a_plain_update_is_answered_by_the_lane_exactly_as_by_flask(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    sf_inprocess: requests.Session,
    transport: str,
    fields: dict[str, Any],
    headers: dict[str, str],
) -> None:
    http = sf_inprocess if transport == "inprocess" else requests.Session()
    sent = {"Authorization": f"Bearer {sf_org.token('admin@test.org')}", **headers}
    records = [_contact(sf_org, Email="u@x.test"), _contact(sf_org, Email="u@x.test")]
    base = f"{sf_org.base_url}/services/data/v59.0/sobjects/Contact"
    turn = iter(records)
    on, off, entries, served = _both(
        mock_salesforce_app,
        lane,
        sf_org,
        lambda: http.patch(f"{base}/{next(turn)}", json=fields, headers=sent),
    )
    assert served == 1, "the lane did not serve the plain update"
    assert (on.status_code, on.content) == (204, b""), on.text
    _same_answer(
        _Answer(on, records[0]), _Answer(off, records[1]), ordered=transport == "inprocess"
    )  # type: ignore[arg-type]
    _same_entries([_without(records[0], entries[0]), _without(records[1], entries[1])])
    stored = {r["Id"]: r for r in sf_org.control.records("Contact")}
    first, second = ({k: v for k, v in stored[i].items() if k != "Id"} for i in records)
    assert first == second, (first, second)
    assert all(first[k] == v for k, v in fields.items()), (fields, first)


@pytest.mark.parametrize(
    ("case", "body", "headers"),
    [
        ("a read-only field", b'{"Name": "B"}', {}),
        ("not JSON", b'{"Title": ', {}),
        ("a required field blanked", b'{"LastName": null}', {}),
        ("If-Match that no longer matches", b'{"Title": "T"}', {"If-Match": '"stale--gzip"'}),
        (
            "If-Unmodified-Since before the last change",
            b'{"Title": "T"}',
            {"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"},
        ),
    ],
)
def test_an_update_the_lane_does_not_finish_changes_nothing_and_flask_answers_it(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    case: str,
    body: bytes,
    headers: dict[str, str],
) -> None:
    api = sf_org.api("admin@test.org")
    record = _contact(sf_org, Title="Before")
    url = f"{api.base}/sobjects/Contact/{record}"
    sent = {"Content-Type": "application/json", **headers}
    on, off, entries, served = _both(
        mock_salesforce_app, lane, sf_org, lambda: api.patch(url, data=body, headers=sent)
    )
    assert served == 0, f"{case}: the lane answered"
    assert on.status_code in (400, 412), f"{case}: {on.status_code} {on.text}"
    _same_answer(on, off, ordered=False)
    _same_entries(entries)
    [stored] = sf_org.control.records("Contact")
    assert (stored["Title"], stored["LastName"]) == ("Before", "Lane"), f"{case}: {stored}"


# Found by a differential fuzzer of the lane against Flask (12,000 cases): each of these was
# answered differently with the lane on, before the lane learnt to leave it to Flask.


def test_a_websocket_upgrade_is_refused_as_flask_refuses_it(
    mock_salesforce_app: Flask, lane: Lane, sf_org: OrgHandle
) -> None:
    upgrade = {
        "Authorization": f"Bearer {sf_org.token('admin@test.org')}",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
    }
    url = f"{sf_org.base_url}/services/data/v59.0/sobjects/Contact"
    on, off, _, served = _both(
        mock_salesforce_app,
        lane,
        sf_org,
        lambda: requests.post(url, json={"LastName": "WS"}, headers=upgrade),
    )
    assert served == 0 and on.status_code == 405, (served, on.status_code, on.text)
    _same_answer(on, off, ordered=False)
    assert sf_org.control.records("Contact") == [], "an upgrade request made a record"


def _wsgi(app: Flask, environ: dict[str, Any]) -> tuple[str, bytes]:
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc=None: seen.append(status)))
    return seen[0], body


def _environ(org: OrgHandle, method: str, path: str, body: bytes, **extra: Any) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(
        path=path,
        method=method,
        data=body,
        headers={"Authorization": f"Bearer {org.token('admin@test.org')}"},
        content_type="application/json",
    ).get_environ()
    environ.update(extra)
    return environ


@pytest.mark.parametrize(
    ("case", "body", "extra"),
    [
        # A Content-Length of 30 and 20 bytes sent: the client went away.
        ("a short body", b'{"LastName":"Short"}', {"CONTENT_LENGTH": "30"}),
        # A stream the server ends itself, longer than its Content-Length: werkzeug reads it all.
        (
            "a longer terminated stream",
            b'{"LastName":"Short"}garbage',
            {"CONTENT_LENGTH": "20", "wsgi.input_terminated": True},
        ),
        # A digit str.isdigit() knows and int() does not: werkzeug reads no length.
        ("a non-ASCII digit as length", b'{"LastName":"Short"}', {"CONTENT_LENGTH": "\u00b2"}),
    ],
)
def test_a_body_the_server_did_not_deliver_as_announced_is_flasks_to_refuse(
    mock_salesforce_app: Flask,
    lane: Lane,
    sf_org: OrgHandle,
    case: str,
    body: bytes,
    extra: dict[str, Any],
) -> None:
    path = "/services/data/v59.0/sobjects/Contact"
    answers = []
    for on in (True, False):
        mock_salesforce_app.config["LANE"] = on
        served = lane.served
        answers.append(_wsgi(mock_salesforce_app, _environ(sf_org, "POST", path, body, **extra)))
        assert lane.served == served, f"{case}: the lane answered"
    mock_salesforce_app.config["LANE"] = True
    assert answers[0] == answers[1], (case, answers)
    assert answers[0][0].startswith("400"), (case, answers[0])
    assert sf_org.control.records("Contact") == [], f"{case}: a record was made"


def test_trusted_hosts_are_checked_by_flask_for_every_call() -> None:
    from mock_salesforce.app import create_app
    from mock_salesforce.pytest_plugin import DEFAULT_ORG
    from mock_salesforce.serving.transport import in_process_session

    app = create_app({"TRUSTED_HOSTS": ["localhost", "good.example"]})
    http = in_process_session(app)
    control = "http://localhost/_mock"
    org = http.post(f"{control}/seed", json={"orgs": [DEFAULT_ORG]}).json()[0]["id"]
    token = http.post(f"{control}/orgs/{org}/users/admin@test.org/sessions", json={}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    made = http.post(
        "http://good.example/services/data/v59.0/sobjects/Contact",
        json={"LastName": "Trusted"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    refused = http.get(
        f"http://evil.example/services/data/v59.0/sobjects/Contact/{made.json()['id']}",
        headers=headers,
    )
    assert refused.status_code == 400, refused.text
    assert app.extensions["mock_salesforce.lane"].served == 0


def test_a_view_replaced_after_the_app_served_takes_every_read_from_then_on() -> None:
    from mock_salesforce.app import create_app
    from mock_salesforce.pytest_plugin import DEFAULT_ORG
    from mock_salesforce.serving.transport import in_process_session

    app = create_app()
    http = in_process_session(app)
    control = "http://localhost/_mock"
    org = http.post(f"{control}/seed", json={"orgs": [DEFAULT_ORG]}).json()[0]["id"]
    token = http.post(f"{control}/orgs/{org}/users/admin@test.org/sessions", json={}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    base = "http://localhost/services/data/v59.0/sobjects/Contact"
    made = http.post(base, json={"LastName": "View"}, headers=headers)
    lane: Lane = app.extensions["mock_salesforce.lane"]
    assert made.status_code == 201 and lane.served == 1, made.text
    original = app.view_functions["rest.retrieve_record"]
    seen: list[str] = []

    def replaced(**args: Any) -> Any:
        seen.append(args["record_id"])
        return original(**args)

    app.view_functions["rest.retrieve_record"] = replaced
    got = http.get(f"{base}/{made.json()['id']}", headers=headers)
    assert got.status_code == 200 and seen == [made.json()["id"]], (got.text, seen)
    assert lane.served == 1, "the lane answered a read whose view was replaced"
