"""Pushing Contacts, Leads and Accounts through the outbox (S-05..S-14, X-01..X-27, A-03..A-06)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import World

from integration.domain.model import ConnectionStatus, PushSettings, SObject
from integration.salesforce.errors import RecordError, Retryable
from integration.services.errors import ProfileOwnerRefused

PERSON = {"first_name": "John", "last_name": "Smith", "email": "j@x.com", "title": "CTO"}


def _push_person(
    world: World, member_id: int, as_sobject: SObject | None = None, **fields: Any
) -> dict[str, Any]:
    person = world.core.save_person(member_id, {**PERSON, **fields}, as_sobject=as_sobject)
    world.core.push(member_id, person.app_id)
    reports = world.core.worker.drain()
    assert [r.state for r in reports] == ["done"], f"worker reports {reports}"
    link = world.store.link_of(world.team_id, person.app_id)
    assert link is not None, "pushed person is not linked"
    return dict(world.salesforce.records[link.sf_id])


@pytest.mark.parametrize("sobject", [SObject.CONTACT, SObject.LEAD])
@pytest.mark.parametrize(
    ("personal", "profile_owner", "owner", "creator"),
    [
        ("alice@acme", None, "alice@acme", "alice@acme"),
        ("alice@acme", "carol@acme", "alice@acme", "alice@acme"),
        (None, "carol@acme", "carol@acme", "int@acme"),
        (None, None, "int@acme", "int@acme"),
    ],
)
def test_push_owner_and_creator_follow_credentials(
    world: World,
    sobject: SObject,
    personal: str | None,
    profile_owner: str | None,
    owner: str,
    creator: str,
) -> None:
    world.connect_team_sync()
    if personal:
        world.connect_personal(world.alice.member_id, personal)
    if profile_owner:
        world.store.set_profile_owner(world.alice.member_id, world.user_id(profile_owner))
    record = _push_person(world, world.alice.member_id, sobject, company="Acme")
    assert record["attributes"]["type"] == sobject.value
    assert (record["OwnerId"], record["CreatedById"]) == (
        world.user_id(owner),
        world.user_id(creator),
    ), f"record {record}"


def test_push_account_owner_follows_personal_credential(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    company = world.core.save_company(world.alice.member_id, {"name": "Cloud Cave"})
    world.core.push(world.alice.member_id, company.app_id)
    world.core.worker.drain()
    accounts = world.salesforce.of_type("Account")
    assert [a["OwnerId"] for a in accounts] == [world.user_id("alice@acme")], accounts


def test_push_sends_auto_assign_false_with_explicit_owner(world: World) -> None:
    world.connect_team_sync()
    _push_person(world, world.alice.member_id, SObject.LEAD, company="Acme")
    upserts = world.salesforce.calls_of("upsert")
    assert [(c.auto_assign, "OwnerId" in c.payload) for c in upserts] == [(False, True)], upserts


def test_push_with_needs_reauth_pc_uses_team_sync_but_member_owns(world: World) -> None:
    world.connect_team_sync()
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.health.change(credential_id, ConnectionStatus.NEEDS_REAUTH, "invalid_grant")
    record = _push_person(world, world.alice.member_id)
    assert record["OwnerId"] == world.user_id("alice@acme"), record
    assert record["CreatedById"] == world.user_id("int@acme"), record


def test_push_with_needs_reauth_pc_of_inactive_user_falls_back_to_team_sync(world: World) -> None:
    world.connect_team_sync()
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.health.change(credential_id, ConnectionStatus.NEEDS_REAUTH, "inactive user")
    world.salesforce.user("alice@acme").active = False
    record = _push_person(world, world.alice.member_id)
    assert record["OwnerId"] == world.user_id("int@acme"), record


def test_push_with_inactive_profile_owner_falls_back_with_warning(world: World) -> None:
    world.connect_team_sync()
    world.store.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    world.salesforce.user("carol@acme").active = False
    record = _push_person(world, world.alice.member_id)
    assert record["OwnerId"] == world.user_id("int@acme"), record
    warnings = [e.message for e in world.store.sync_log(world.team_id, "warning")]
    assert any("profile owner" in w and "inactive" in w for w in warnings), warnings


def test_push_with_frozen_profile_owner_falls_back_with_warning(world: World) -> None:
    world.connect_team_sync()
    world.store.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    world.salesforce.user("carol@acme").frozen = True
    record = _push_person(world, world.alice.member_id)
    assert record["OwnerId"] == world.user_id("int@acme"), record
    warnings = [e.message for e in world.store.sync_log(world.team_id, "warning")]
    assert any("profile owner" in w and "frozen" in w for w in warnings), warnings


def test_push_update_never_sends_owner(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    link = world.store.link_of(world.team_id, person.app_id)
    assert link is not None
    world.salesforce.records[link.sf_id]["OwnerId"] = world.user_id("bob@acme")
    world.core.save_person(world.alice.member_id, {**PERSON, "title": "CEO"}, app_id=person.app_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    updates = world.salesforce.calls_of("update")
    assert len(updates) == 1 and "OwnerId" not in updates[0].payload, updates
    assert updates[0].auto_assign is None
    record = world.salesforce.records[link.sf_id]
    assert (record["OwnerId"], record["Title"]) == (world.user_id("bob@acme"), "CEO"), record
    assert record["LastModifiedById"] == world.user_id("alice@acme")


def test_change_owner_is_the_only_update_that_sets_owner(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.bob.member_id, "bob@acme")
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    world.core.change_owner(world.alice.member_id, person.app_id, world.bob.member_id)
    world.core.worker.drain()
    link = world.store.link_of(world.team_id, person.app_id)
    assert link is not None
    assert world.salesforce.records[link.sf_id]["OwnerId"] == world.user_id("bob@acme")
    assert world.store.record(person.app_id).owner_member_id == world.bob.member_id


def test_push_skips_fields_acting_user_cannot_edit_and_reports_them(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.user("alice@acme").readonly_fields.add("Title")
    record = _push_person(world, world.alice.member_id)
    assert "Title" not in record, f"Title written: {record}"
    assert record["CreatedById"] == world.user_id("alice@acme"), "rerouted through team sync"
    warnings = [e.message for e in world.store.sync_log(world.team_id, "warning")]
    assert warnings == ["Contact.Title skipped: no edit permission for alice@acme"], warnings


def test_push_retry_after_timeout_does_not_duplicate(world: World) -> None:
    world.connect_team_sync()
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    world.store._write("DELETE FROM links")
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    contacts = world.salesforce.of_type("Contact")
    assert len(contacts) == 1, f"contacts {contacts}"
    assert contacts[0]["App_Id__c"] == person.app_id


def test_push_settings_block_new_people_but_not_updates(world: World) -> None:
    world.connect_team_sync()
    linked = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, linked.app_id)
    world.core.worker.drain()
    world.store.set_push_settings(world.team_id, PushSettings(create_people=False))
    fresh = world.core.save_person(world.alice.member_id, {**PERSON, "email": "k@x.com"})
    world.core.push(world.alice.member_id, fresh.app_id)
    world.core.save_person(world.alice.member_id, {**PERSON, "phone": "555"}, app_id=linked.app_id)
    world.core.push(world.alice.member_id, linked.app_id)
    world.core.worker.drain()
    assert world.store.link_of(world.team_id, fresh.app_id) is None, "new person was pushed"
    contacts = world.salesforce.of_type("Contact")
    assert [c.get("Phone") for c in contacts] == ["555"], contacts


def test_push_settings_create_people_as_leads(world: World) -> None:
    world.connect_team_sync()
    world.store.set_push_settings(world.team_id, PushSettings(people_as=SObject.LEAD))
    record = _push_person(world, world.alice.member_id, company="Acme")
    assert record["attributes"]["type"] == "Lead", record


def test_push_contact_without_account_when_account_push_off(world: World) -> None:
    """S-13 wins over A-04: no Account is created; the contact goes without AccountId."""
    world.connect_team_sync()
    world.store.set_push_settings(world.team_id, PushSettings(create_accounts=False))
    company = world.core.save_company(world.alice.member_id, {"name": "Cloud Cave"})
    person = world.core.save_person(world.alice.member_id, PERSON, company.app_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    accounts = world.salesforce.of_type("Account")
    contact = world.salesforce.of_type("Contact")[0]
    assert accounts == [], f"S-13: no Account may be created, found {accounts}"
    assert contact.get("AccountId") is None, f"S-13: contact has AccountId {contact['AccountId']}"
    codes = [e.error_code for e in world.store.sync_log(world.team_id)]
    assert "ACCOUNT_NOT_CREATED" in codes, f"S-13: the sync log should say why; it has {codes}"


def test_push_contact_links_oldest_matching_account_and_logs_others(world: World) -> None:
    world.connect_team_sync()
    older = world.salesforce.seed("Account", "bob@acme", Name="Cloud Cave")
    newer = world.salesforce.seed("Account", "bob@acme", Name="Cloud Cave")
    company = world.core.save_company(world.alice.member_id, {"name": "Cloud Cave"})
    person = world.core.save_person(world.alice.member_id, PERSON, company.app_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    contact = world.salesforce.of_type("Contact")[0]
    assert contact["AccountId"] == older, f"linked {contact['AccountId']}, oldest {older}"
    infos = [e.message for e in world.store.sync_log(world.team_id, "info")]
    assert infos == [f"linked {older}; other candidates: {newer}"], infos


def test_push_permanent_error_goes_to_sync_log_with_details(world: World) -> None:
    world.connect_team_sync()
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.fail_next(
        "upsert",
        RecordError("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Phone number must be 10 digits", 400),
    )
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    reports = world.core.worker.drain()
    assert [r.state for r in reports] == ["failed"], reports
    entry = world.store.sync_log(world.team_id, "error")[0]
    assert (
        entry.sobject,
        entry.record,
        entry.direction,
        entry.acting_credential_id,
        entry.error_code,
        entry.retryable,
        entry.attempts,
    ) == (
        "Contact",
        person.app_id,
        "push",
        credential_id,
        "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        False,
        1,
    ), f"entry {entry}"


def test_push_retryable_error_is_retried_with_backoff(world: World, clock: Any) -> None:
    world.connect_team_sync()
    world.salesforce.fail_next("upsert", Retryable("UNABLE_TO_LOCK_ROW", "unable to lock", 400))
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    first = world.core.worker.drain()
    assert [r.state for r in first] == ["pending"], first
    assert world.core.worker.run_once() is None, "retried before the back-off elapsed"
    clock.advance(seconds=31)
    second = world.core.worker.drain()
    assert [r.state for r in second] == ["done"], second
    assert len(world.salesforce.of_type("Contact")) == 1


def test_push_lead_takes_company_from_its_company_record(world: World) -> None:
    world.connect_team_sync()
    world.store.set_push_settings(world.team_id, PushSettings(people_as=SObject.LEAD))
    company = world.core.save_company(world.alice.member_id, {"name": "Cloud Cave"})
    person = world.core.save_person(world.alice.member_id, PERSON, company.app_id)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    leads = world.salesforce.of_type("Lead")
    assert [lead["Company"] for lead in leads] == ["Cloud Cave"], leads
    assert world.salesforce.of_type("Account") == [], "a Lead push created an account"


def test_push_lead_without_company_uses_the_placeholder_company(world: World) -> None:
    world.connect_team_sync()
    world.store.set_push_settings(world.team_id, PushSettings(people_as=SObject.LEAD))
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    world.core.worker.drain()
    leads = world.salesforce.of_type("Lead")
    assert [lead["Company"] for lead in leads] == ["[not provided]"], leads


def test_push_retries_instead_of_changing_owner_when_the_owner_lookup_hits_an_outage(
    world: World,
) -> None:
    world.connect_team_sync()
    world.store.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    world.salesforce.fail_next(
        "get_user", Retryable("SERVER_UNAVAILABLE", "Server unavailable", 503)
    )
    person = world.core.save_person(world.alice.member_id, PERSON)
    world.core.push(world.alice.member_id, person.app_id)
    first = world.core.worker.drain()
    assert [r.state for r in first] == ["pending"], first
    assert world.salesforce.of_type("Contact") == [], "nothing written with a guessed owner"


def test_profile_owner_must_be_an_active_user_checked_through_team_sync(world: World) -> None:
    with pytest.raises(ProfileOwnerRefused, match="connect team sync first"):
        world.core.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    world.connect_team_sync()
    world.salesforce.user("carol@acme").active = False
    with pytest.raises(ProfileOwnerRefused, match="not an active Salesforce user"):
        world.core.set_profile_owner(world.alice.member_id, world.user_id("carol@acme"))
    assert world.store.member(world.alice.member_id).profile_owner_id is None
    world.core.set_profile_owner(world.alice.member_id, world.user_id("bob@acme"))
    assert world.store.member(world.alice.member_id).profile_owner_id == world.user_id("bob@acme")
