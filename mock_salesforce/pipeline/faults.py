"""Faults: rules that make chosen calls fail with a Salesforce error or answer slowly.

A rule matches on org (implicitly), user, operation, sObject, HTTP method, API and path; it
fires on the nth matching call, a number of times, or with a seeded probability (so a flaky
scenario replays identically). Like WireMock's faults, but speaking Salesforce's errors.

A rule with ``after_commit`` lets the call run and commit, then replaces its answer with the
error: the lost answer after a write that really happened (a retry must not duplicate it).

Bulk rows are calls too: each data row of a bulk job runs the rules with ``operation``
``bulk_row``, ``method`` the job's operation (``insert``, ``upsert``, ...), ``path`` the job id
and ``row`` its 1-based number in the job's data. Only rules that name ``operation: bulk_row``
match rows, so a rule written for REST calls never fires inside a bulk job; a firing rule makes
that row fail with its error while the job goes on.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import errors
from ..errors import ControlError, OAuthError, SalesforceError
from ..serving.parking import parked
from ..store import OrgStore

MATCH_KEYS = ("user", "operation", "sobject", "method", "api", "path", "row")
ROW_OPERATION = "bulk_row"


@dataclass
class Fault:
    """One fault rule as stored."""

    id: str
    match: dict[str, str] = field(default_factory=dict)
    error_code: str | None = None
    message: str | None = None
    status: int | None = None
    oauth_error: str | None = None
    latency_ms: int = 0
    nth: int = 1
    times: int | None = 1
    probability: float = 1.0
    seed: int = 0
    after_commit: bool = False
    seen: int = 0
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse(spec: Mapping[str, Any]) -> Fault:
    """A fault from control-plane JSON, checked (ControlError says what is wrong)."""
    match = dict(spec.get("match") or {})
    bad = set(match) - set(MATCH_KEYS)
    if bad:
        raise ControlError(
            f"unknown fault match key(s) {sorted(bad)}; known: {', '.join(MATCH_KEYS)}"
        )
    error = spec.get("error") or {}
    if not isinstance(error, Mapping):
        raise ControlError('\'error\' must be an object like {"errorCode": "UNABLE_TO_LOCK_ROW"}')
    code, oauth = error.get("errorCode"), error.get("error")
    latency = int(spec.get("latency_ms", 0))
    if not code and not oauth and not latency:
        raise ControlError(
            'a fault needs an error ({"errorCode": ...} or {"error": ...}) or latency_ms'
        )
    probability = float(spec.get("probability", 1.0))
    if not 0.0 <= probability <= 1.0:
        raise ControlError("probability must be between 0 and 1")
    times = spec.get("times", 1)
    return Fault(
        id=str(spec.get("id") or "flt_" + secrets.token_hex(4)),
        match={k: str(v) for k, v in match.items()},
        error_code=code,
        message=error.get("message") or error.get("error_description"),
        status=error.get("status"),
        oauth_error=oauth,
        latency_ms=latency,
        nth=max(1, int(spec.get("nth", 1))),
        times=None if times is None else int(times),
        probability=probability,
        seed=int(spec.get("seed", 0)),
        after_commit=_flag(spec.get("after_commit", False)),
    )


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ControlError("after_commit must be true or false")
    return value


def add(store: OrgStore, fault: Fault) -> Fault:
    store.execute(
        "INSERT INTO _mock_fault (id, definition, seen, fired) VALUES (?, ?, 0, 0) "
        "ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, seen = 0, fired = 0",
        (fault.id, json.dumps(fault.to_json())),
    )
    store.cache.pop("faults", None)
    return fault


def all_faults(store: OrgStore) -> list[Fault]:
    rows = store.query("SELECT definition, seen, fired FROM _mock_fault ORDER BY rowid")
    result = []
    for row in rows:
        data = json.loads(row["definition"])
        data.update(seen=row["seen"], fired=row["fired"])
        data.setdefault("after_commit", False)
        result.append(Fault(**data))
    return result


def remove(store: OrgStore, fault_id: str | None = None) -> int:
    store.cache.pop("faults", None)
    if fault_id is None:
        return store.execute("DELETE FROM _mock_fault").rowcount
    return store.execute("DELETE FROM _mock_fault WHERE id = ?", (fault_id,)).rowcount


def _matches(fault: Fault, call: Mapping[str, str | None]) -> bool:
    if (call.get("operation") == ROW_OPERATION) != (
        fault.match.get("operation", "").lower() == ROW_OPERATION
    ):
        return False
    for key, wanted in fault.match.items():
        seen = call.get(key)
        if key == "path":
            if seen is None or wanted not in seen:
                return False
        elif key == "user":
            if wanted not in (call.get("user_id"), call.get("username")):
                return False
        elif seen is None or seen.lower() != wanted.lower():
            return False
    return True


def any_defined(store: OrgStore) -> bool:
    """Whether the org has any fault (kept in memory; most orgs have none)."""
    if store.cache.get("faults") is None:
        store.cache["faults"] = all_faults(store)
    return bool(store.cache["faults"])


def apply(
    store: OrgStore, call: Mapping[str, str | None], after_commit: bool = False
) -> str | None:
    """Run the faults matching ``call``: sleep, raise the chosen error; returns a fault id.

    Before the call runs only ordinary rules apply; after a successful call (``after_commit``)
    only the rules marked ``after_commit`` do."""
    if store.cache.get("faults") is None:
        store.cache["faults"] = all_faults(store)
    if not store.cache["faults"]:
        return None
    with store.lock:
        faults = all_faults(store)
        fired: Fault | None = None
        for fault in faults:
            if fault.after_commit is not after_commit or not _matches(fault, call):
                continue
            fault.seen += 1
            if _should_fire(fault):
                fault.fired += 1
                fired = fault
            store.execute(
                "UPDATE _mock_fault SET seen = ?, fired = ? WHERE id = ?",
                (fault.seen, fault.fired, fault.id),
            )
            if fired is not None:
                break
    if fired is None:
        return None
    if fired.latency_ms:
        with parked():
            time.sleep(fired.latency_ms / 1000)
    _raise(fired)
    return fired.id


def _should_fire(fault: Fault) -> bool:
    if fault.seen < fault.nth:
        return False
    if fault.times is not None and fault.fired >= fault.times:
        return False
    if fault.probability >= 1.0:
        return True
    return random.Random(f"{fault.seed}:{fault.id}:{fault.seen}").random() < fault.probability


def _raise(fault: Fault) -> None:
    """Raise the fault's error, marked with the fault's id (``fault_id``) for the journal."""
    if fault.oauth_error:
        oauth = OAuthError(
            fault.oauth_error, fault.message or fault.oauth_error, fault.status or 400
        )
        oauth.fault_id = fault.id  # type: ignore[attr-defined]
        raise oauth
    if fault.error_code:
        cls = errors.error_class(fault.error_code)
        exc: SalesforceError = cls(fault.message) if fault.message else cls()
        if fault.status:
            exc.http_status = fault.status
        exc.fault_id = fault.id  # type: ignore[attr-defined]
        raise exc
