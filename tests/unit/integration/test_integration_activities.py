"""Logging activities (S-07, S-13, A-16) and waiting for the person to be linked."""

from __future__ import annotations

from conftest import World

from integration.domain.model import ActivityKind, PushSettings

PERSON = {"first_name": "John", "last_name": "Smith", "email": "j@x.com"}


def _linked_person(world: World, company: bool = True) -> str:
    company_id = None
    if company:
        company_id = world.core.save_company(world.alice.member_id, {"name": "Acme"}).app_id
    person = world.core.save_person(world.alice.member_id, PERSON, company_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    return person.app_id


def test_activity_with_personal_credential_is_created_by_member(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    person = _linked_person(world)
    world.core.activities.log(world.alice.member_id, ActivityKind.CALL, person, "Intro call")
    world.core.worker.drain()
    task = world.salesforce.of_type("Task")[0]
    assert (task["CreatedById"], task["OwnerId"]) == (
        world.user_id("alice@acme"),
        world.user_id("alice@acme"),
    ), task
    assert task["TaskSubtype"] == "Call"


def test_activity_without_personal_credential_goes_through_team_sync(world: World) -> None:
    world.connect_team_sync()
    world.store.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    person = _linked_person(world)
    world.core.activities.log(world.alice.member_id, ActivityKind.EMAIL, person, "Hello")
    world.core.worker.drain()
    task = world.salesforce.of_type("Task")[0]
    assert task["CreatedById"] == world.user_id("int@acme"), task
    assert task["OwnerId"] == world.user_id("carol@acme"), task


def test_email_activity_maps_to_completed_email_task_with_who_and_what(world: World) -> None:
    world.connect_team_sync()
    person = _linked_person(world)
    world.core.activities.log(world.alice.member_id, ActivityKind.EMAIL, person, "Hello", "Hi!")
    world.core.worker.drain()
    task = world.salesforce.of_type("Task")[0]
    contact = world.salesforce.of_type("Contact")[0]
    account = world.salesforce.of_type("Account")[0]
    assert (task["TaskSubtype"], task["Status"], task["Subject"]) == (
        "Email",
        "Completed",
        "Email: Hello",
    ), task
    assert (task["WhoId"], task["WhatId"]) == (contact["Id"], account["Id"]), task


def test_meeting_activity_becomes_an_event(world: World) -> None:
    world.connect_team_sync()
    person = _linked_person(world)
    logged = world.core.activities.log(world.alice.member_id, ActivityKind.MEETING, person, "Demo")
    world.core.worker.drain()
    events = world.salesforce.of_type("Event")
    assert [e["Subject"] for e in events] == ["Demo"], events
    assert world.store.activity(logged.app_id).sobject == "Event"


def test_activity_for_unlinked_person_waits_then_goes_out(world: World) -> None:
    world.connect_team_sync()
    person = world.core.save_person(world.alice.member_id, PERSON)
    logged = world.core.activities.log(
        world.alice.member_id, ActivityKind.NOTE, person.app_id, "Note"
    )
    assert world.core.worker.drain() == [], "a waiting activity ran"
    assert world.store.job(logged.job_id or 0).state == "waiting"
    world.core.push(world.alice.member_id, person.app_id)
    reports = world.core.worker.drain()
    assert [r.job for r in reports] == ["push_record", "log_activity"], reports
    task = world.salesforce.of_type("Task")[0]
    assert task["WhoId"] == world.salesforce.of_type("Contact")[0]["Id"]


def test_activity_type_switched_off_is_not_pushed(world: World) -> None:
    world.connect_team_sync()
    world.store.set_push_settings(
        world.team_id, PushSettings(activity_kinds=frozenset({ActivityKind.EMAIL}))
    )
    person = _linked_person(world)
    logged = world.core.activities.log(world.alice.member_id, ActivityKind.NOTE, person, "Note")
    world.core.worker.drain()
    assert not logged.queued
    assert world.salesforce.of_type("Task") == []


def test_activity_retry_does_not_duplicate_task(world: World) -> None:
    world.connect_team_sync()
    person = _linked_person(world)
    logged = world.core.activities.log(world.alice.member_id, ActivityKind.CALL, person, "Call")
    world.core.worker.drain()
    world.core.activities.push(logged.app_id, retry=True)
    tasks = world.salesforce.of_type("Task")
    assert len(tasks) == 1, f"X-27: a retry must not duplicate the Task, found {len(tasks)}"
    assert tasks[0]["TaskSubtype"] == "Call", f"A-16: TaskSubtype is {tasks[0]['TaskSubtype']}"
