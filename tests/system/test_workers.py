"""``serve --workers 2``: two processes on one port answer as one server (one truth per org)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient

from .serving import serve, stop

API = "/services/data/v59.0"


@pytest.fixture(params=["temporary folder", "--db"])
def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    args = ["--workers", "2", "--no-seed"]
    if request.param == "--db":
        args += ["--db", str(tmp_path / "orgs")]
    process, url = serve(*args, cwd=tmp_path)
    yield url
    stop(process)


def pinned_sessions(url: str) -> tuple[requests.Session, requests.Session]:
    """Two kept-alive connections served by two different worker processes."""
    by_worker: dict[str, requests.Session] = {}
    opened: list[requests.Session] = []
    deadline = time.monotonic() + 20  # the second worker may still be starting
    while len(by_worker) < 2 and time.monotonic() < deadline:
        session = requests.Session()
        opened.append(session)
        worker = session.get(f"{url}/services/data", timeout=10).headers["X-Mock-Worker"]
        by_worker.setdefault(worker, session)
        time.sleep(0.01)
    for session in opened:
        if session not in by_worker.values():
            session.close()
    assert len(by_worker) == 2, f"only worker(s) {sorted(by_worker)} answered {len(opened)}"
    first, second = by_worker.values()
    return first, second


def served_by(session: requests.Session, url: str) -> str:
    return session.get(f"{url}/services/data", timeout=10).headers["X-Mock-Worker"]


def test_two_workers_share_orgs_tokens_fields_clock_and_limits(two_workers: str) -> None:
    url = two_workers
    one, other = pinned_sessions(url)
    assert served_by(one, url) != served_by(other, url), "the sessions must stay on their worker"
    control_one, control_other = ControlClient(url, one), ControlClient(url, other)

    org_id = control_one.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    assert control_other.org(org_id).info()["id"] == org_id, "the org is missing on the other"

    token = control_one.org(org_id).session_for("admin@test.org")["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = other.post(f"{url}{API}/sobjects/Contact", json={"LastName": "Seen"}, headers=auth)
    assert created.status_code == 201, f"the other worker refused the token: {created.text}"

    control_one.org(org_id).add_field("Contact", "Region__c", type="string")
    described = other.get(f"{url}{API}/sobjects/Contact/describe", headers=auth).json()
    assert "Region__c" in {f["name"] for f in described["fields"]}, "custom field not seen"

    moved = control_one.org(org_id).advance_clock(minutes=45)["now"]
    assert control_other.org(org_id).info()["now"][:16] == moved[:16], "clock change not seen"
    still = other.get(f"{url}{API}/sobjects/Contact/{created.json()['id']}", headers=auth)
    assert still.status_code == 200, f"the token looked idle on the other worker: {still.text}"

    used = int(still.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    control_one.org(org_id).settings(api_daily_limit=used + 1)
    last = other.get(f"{url}{API}/limits", headers=auth)
    assert last.headers["Sforce-Limit-Info"] == f"api-usage={used + 1}/{used + 1}", last.headers
    refused = one.get(f"{url}{API}/limits", headers=auth)
    assert refused.status_code == 403, f"the lowered limit was not applied: {refused.text}"
    assert refused.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED", refused.text


def _busy_client(
    url: str, token: str, who: int, rounds: int
) -> tuple[int, list[str], list[str], set[str]]:
    """Creates, reads and updates of its own contacts, with a query and a composite now and
    then, on a kept-alive connection: the calls made, any answer that was not 2xx, the ids,
    the workers that answered."""
    calls, bad, ids, workers = 0, [], [], set()
    auth = {"Authorization": f"Bearer {token}"}
    with requests.Session() as http:

        def call(method: str, path: str, **kwargs: object) -> requests.Response:
            nonlocal calls
            calls += 1
            answer = http.request(method, f"{url}{API}{path}", headers=auth, timeout=30, **kwargs)
            workers.add(answer.headers.get("X-Mock-Worker", "?"))
            if answer.status_code >= 300:
                bad.append(f"{method} {path} -> {answer.status_code} {answer.text[:200]}")
            return answer

        for n in range(rounds):
            made = call("POST", "/sobjects/Contact", json={"LastName": f"w{who}-{n}"})
            if made.status_code != 201:
                continue
            record = f"/sobjects/Contact/{made.json()['id']}"
            ids.append(made.json()["id"])
            call("GET", record)
            call("PATCH", record, json={"Title": f"t{n}"})
            if n % 10 == 0:
                soql = f"SELECT Id FROM Contact WHERE LastName = 'w{who}-{n}'"
                call("GET", "/query", params={"q": soql})
                parts = [
                    {"method": "GET", "url": f"{API}{record}", "referenceId": "read"},
                    {
                        "method": "PATCH",
                        "url": f"{API}{record}",
                        "referenceId": "edit",
                        "body": {"Title": "c"},
                    },
                ]
                call("POST", "/composite", json={"compositeRequest": parts})
    return calls, bad, ids, workers


def test_concurrent_calls_through_both_workers_lose_nothing_and_count_every_call(
    two_workers: str,
) -> None:
    """Four clients at once, spread over both workers, while the journal is cleared twice: no
    answer but 2xx, every record there with its update, the API usage counting every call,
    and the journal's numbers going on without a gap or a repeat."""
    url = two_workers
    control = ControlClient(url)
    org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    org = control.org(org_id)
    org.settings(api_daily_limit=100_000, journal_limit=100_000)
    token = org.session_for("admin@test.org")["access_token"]
    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(_busy_client, url, token, who, 60) for who in range(4)]
        for _ in range(2):
            time.sleep(0.2)
            control.call("DELETE", f"/orgs/{org_id}/journal")
        results = [each.result() for each in running]
    calls = sum(r[0] for r in results)
    bad = [b for r in results for b in r[1]]
    ids = [i for r in results for i in r[2]]
    workers = set().union(*(r[3] for r in results))
    assert len(workers) == 2, f"the calls were not spread over both workers: {workers}"
    assert not bad, f"{len(bad)} of {calls} calls failed: {bad[:5]}"
    assert len(ids) == len(set(ids)) == 240, f"{len(ids)} ids, {len(set(ids))} distinct"
    kept = {r["Id"]: r for r in org.records("Contact", False)}
    lost = [i for i in ids if i not in kept or not kept[i].get("Title")]
    assert not lost, f"{len(lost)} records lost or missing their update: {lost[:5]}"
    seqs = [e["seq"] for e in control.call("GET", f"/orgs/{org_id}/journal")]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), f"gap or repeat: {seqs[:20]}..."
    assert seqs[-1] == calls, f"the journal numbered {seqs[-1]} calls, the clients made {calls}"
    usage = requests.get(f"{url}{API}/limits", headers={"Authorization": f"Bearer {token}"})
    assert usage.headers["Sforce-Limit-Info"] == f"api-usage={calls + 1}/100000", usage.headers


def test_a_worker_that_dies_is_replaced(two_workers: str) -> None:
    url = two_workers
    one, _other = pinned_sessions(url)
    victim = int(served_by(one, url))
    subprocess.run(["kill", "-9", str(victim)], check=True)
    seen: set[str] = set()
    deadline = time.monotonic() + 20  # a bound for a loaded machine, not a speed check
    while len(seen) < 2 and time.monotonic() < deadline:
        with requests.Session() as session:
            seen.add(served_by(session, url))
    assert str(victim) not in seen, f"the killed worker {victim} still answered"
    assert len(seen) == 2, f"two workers must answer again, saw {sorted(seen)}"


def test_a_session_ended_through_one_worker_is_refused_at_once_by_the_other(
    two_workers: str,
) -> None:
    """Each worker keeps the live tokens it has seen; expiring, revoking or freezing through
    one worker must reach the other's memory before its next call."""
    url = two_workers
    one, other = pinned_sessions(url)
    control = ControlClient(url, one).org(
        ControlClient(url, one).seed({"orgs": [DEFAULT_ORG]})[0]["id"]
    )

    def token() -> dict[str, str]:
        issued = control.session_for("admin@test.org")["access_token"]
        auth = {"Authorization": f"Bearer {issued}"}
        seen = other.get(f"{url}{API}/limits", headers=auth)
        assert seen.status_code == 200, f"the new token was refused: {seen.text}"
        return auth

    ways = {
        "expire": lambda: control.call("POST", "/users/admin@test.org/sessions/expire"),
        "revoke": lambda: control.call("DELETE", "/users/admin@test.org/sessions"),
        "freeze": lambda: control.update_user("admin@test.org", frozen=True),
    }
    for way, end in ways.items():
        auth = token()
        end()
        refused = other.get(f"{url}{API}/limits", headers=auth)
        assert refused.status_code == 401, f"{way}: the other worker still served: {refused.text}"
        assert refused.json()[0]["errorCode"] == "INVALID_SESSION_ID", f"{way}: {refused.text}"


@pytest.mark.parametrize(("workers", "locked_once"), [("1", True), ("2", False)])
def test_org_files_of_one_worker_without_db_are_locked_once_and_shared_by_several(
    tmp_path: Path, workers: str, locked_once: bool
) -> None:
    """One worker with no --db is the only process that opens its folder: its org files are
    locked while open (SQLite's exclusive mode, no lock file, no shared-memory index). Several
    workers share theirs: any of them may read and write each file."""
    import sqlite3

    process, url = serve("--workers", workers, cwd=tmp_path, env={"TMPDIR": str(tmp_path)})
    try:
        (folder,) = tmp_path.glob("mock-salesforce-*")
        org_file = sorted(folder.glob("00D*.sqlite"))[0]
        org_id = org_file.stem
        control = ControlClient(url)
        token = control.org(org_id).session_for("admin@acme.demo")["access_token"]
        made = requests.post(
            f"{url}{API}/sobjects/Account",
            json={"Name": "Written"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert made.status_code == 201, made.text
        other = sqlite3.connect(str(org_file), timeout=0)
        try:
            other.execute('SELECT 1 FROM "Account"').fetchall()
            read_by_another = True
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc), exc
            read_by_another = False
        finally:
            other.close()
        beside = sorted(
            p.name.removeprefix(org_file.name) for p in folder.glob(org_file.name + "-*")
        )
    finally:
        stop(process)
    assert read_by_another is not locked_once, (
        f"{workers} worker(s): read by another: {read_by_another}"
    )
    if locked_once:
        assert "-lock" not in beside and "-shm" not in beside, f"files beside it: {beside}"
    else:
        assert "-lock" in beside, f"no writer lock file beside a shared org file: {beside}"
