"""The outbox worker: quota pauses, retries, sync log and resync (X-16, X-21, X-28, X-29)."""

from __future__ import annotations

from typing import Any

from conftest import World

from integration.domain.model import ConnectionStatus
from integration.salesforce.errors import (
    InvalidSession,
    RecordError,
    RequestLimitExceeded,
    Retryable,
)

PERSON = {"first_name": "John", "last_name": "Smith"}


def _queue_person(world: World) -> str:
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    return person.app_id


def test_request_limit_pauses_connection_and_job_resumes_later(world: World, clock: Any) -> None:
    credential_id = world.connect_team_sync()
    world.salesforce.fail_next(
        "upsert",
        RequestLimitExceeded("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", 403),
    )
    app_id = _queue_person(world)
    reports = world.core.worker.drain()
    assert [(r.state, r.error_code) for r in reports] == [("pending", "REQUEST_LIMIT_EXCEEDED")]
    assert world.store.credential(credential_id).status is ConnectionStatus.PAUSED_QUOTA
    assert world.store.sync_log(world.team_id, "error") == [], "quota logged as a failure"
    clock.advance(minutes=16)
    assert [r.state for r in world.core.worker.drain()] == ["done"]
    assert world.store.link_of(world.team_id, app_id) is not None
    events = [e.event for e in world.store.connection_events(credential_id)]
    assert events == ["connection.paused_quota", "connection.recovered"], events


def test_retryable_error_fails_after_max_attempts_and_is_logged(world: World, clock: Any) -> None:
    world.connect_team_sync()
    for _ in range(5):
        world.salesforce.fail_next("upsert", Retryable("SERVER_UNAVAILABLE", "down", 503))
    app_id = _queue_person(world)
    states = []
    for _ in range(5):
        states.extend(r.state for r in world.core.worker.drain())
        clock.advance(hours=1)
    assert states == ["pending"] * 4 + ["failed"], states
    entry = world.store.sync_log(world.team_id, "error")[0]
    assert (entry.record, entry.error_code, entry.retryable, entry.attempts) == (
        app_id,
        "SERVER_UNAVAILABLE",
        True,
        5,
    ), entry


def test_resync_requeues_a_failed_push_and_resolves_the_entry(world: World) -> None:
    world.connect_team_sync()
    world.salesforce.fail_next(
        "upsert",
        RecordError(
            "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", 400, ("LastName",)
        ),
    )
    app_id = _queue_person(world)
    world.core.worker.drain()
    entry = world.store.sync_log(world.team_id, "error")[0]
    world.core.worker.resync(entry.entry_id)
    assert [r.state for r in world.core.worker.drain()] == ["done"]
    assert world.store.log_entry(entry.entry_id).resolved
    assert world.store.link_of(world.team_id, app_id) is not None


def test_invalid_session_after_refresh_is_logged_not_looped(world: World) -> None:
    world.connect_team_sync()
    for _ in range(2):
        world.salesforce.fail_next(
            "describe", InvalidSession("INVALID_SESSION_ID", "Session expired or invalid", 401)
        )
    _queue_person(world)
    reports = world.core.worker.drain()
    assert [(r.state, r.error_code) for r in reports] == [("failed", "INVALID_SESSION_ID")]


def test_job_waits_while_no_credential_is_usable(world: World, clock: Any) -> None:
    credential_id = world.connect_team_sync()
    world.core.health.change(credential_id, ConnectionStatus.NEEDS_REAUTH, "invalid_grant")
    _queue_person(world)
    reports = world.core.worker.drain()
    assert [(r.state, r.error_code) for r in reports] == [("pending", "CREDENTIAL_UNAVAILABLE")]
    world.core.health.change(credential_id, ConnectionStatus.CONNECTED, "reconnected")
    clock.advance(minutes=1)
    assert [r.state for r in world.core.worker.drain()] == ["done"]


def test_pc_refresh_failure_falls_back_to_team_sync_on_next_run(world: World) -> None:
    world.connect_team_sync()
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.expire_tokens("alice@acme")
    world.salesforce.refresh_tokens.clear()
    app_id = _queue_person(world)
    reports = world.core.worker.drain()
    assert [(r.state, r.error_code) for r in reports] == [
        ("pending", "invalid_grant"),
        ("done", ""),
    ], reports
    assert world.store.credential(credential_id).status is ConnectionStatus.NEEDS_REAUTH
    link = world.store.link_of(world.team_id, app_id)
    assert link is not None
    record = world.salesforce.records[link.sf_id]
    assert (record["OwnerId"], record["CreatedById"]) == (
        world.user_id("alice@acme"),
        world.user_id("int@acme"),
    ), record


def test_an_unexpected_error_fails_one_job_and_never_blocks_the_outbox(world: World) -> None:
    world.connect_team_sync()
    person = world.core.save_person(world.alice.member_id, {"last_name": "Doe"})
    broken = world.store.enqueue(world.team_id, "change_owner", person.app_id, 9999, "1")
    world.core.push(world.alice.member_id, person.app_id)
    reports = world.core.worker.drain()
    states = {r.job_id: r.state for r in reports}
    assert states[broken] == "failed", reports
    assert [r.state for r in reports if r.job_id != broken] == ["done"], reports
    entries = [e for e in world.store.sync_log(world.team_id) if e.outbox_id == broken]
    assert entries and entries[0].error_code == "KeyError", entries


def test_work_waiting_for_a_usable_connection_is_logged_once_and_kept(
    world: World, clock: Any
) -> None:
    person = world.core.save_person(world.alice.member_id, {"last_name": "Doe"})
    job = world.core.push(world.alice.member_id, person.app_id)
    for _ in range(3):
        world.core.worker.drain()
        clock.advance(hours=1)
    entries = [e for e in world.store.sync_log(world.team_id) if e.outbox_id == job]
    assert [(e.level, e.error_code) for e in entries] == [("warning", "CREDENTIAL_UNAVAILABLE")], (
        entries
    )
    assert world.store.job(job).state == "pending", "the job is kept, not dropped"
