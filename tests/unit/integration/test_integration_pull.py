"""Pulling through team sync (S-11, S-12, A-09) incrementally by SystemModstamp."""

from __future__ import annotations

from dataclasses import replace

from conftest import World

from integration.domain.model import ConnectionStatus, PullSettings, SObject
from integration.salesforce.errors import RecordError, RequestLimitExceeded, Retryable


def test_pull_maps_owner_to_member_by_salesforce_user_id(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.bob.member_id, "bob@acme")
    world.salesforce.seed("Contact", "bob@acme", LastName="Doe", Email="d@x.com")
    world.salesforce.seed("Contact", "carol@acme", LastName="Roe", Email="r@x.com")
    report = world.core.puller.pull(world.team_id)
    owners = {r.fields["last_name"]: r.owner_member_id for r in world.store.records(world.team_id)}
    assert owners == {"Doe": world.bob.member_id, "Roe": None}, owners
    assert len(report.created) == 2


def test_pull_runs_as_team_sync_user(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.puller.pull(world.team_id)
    users = {c.user_id for c in world.salesforce.calls_of("query")}
    assert users == {world.user_id("int@acme")}, users


def test_pull_skips_lead_with_same_email_as_contact(world: World) -> None:
    world.connect_team_sync()
    contact = world.salesforce.seed("Contact", "bob@acme", LastName="J", Email="j@x.com")
    lead = world.salesforce.seed("Lead", "bob@acme", LastName="J", Email="j@x.com", Company="X")
    other = world.salesforce.seed("Lead", "bob@acme", LastName="K", Email="k@x.com", Company="X")
    report = world.core.puller.pull(world.team_id)
    assert report.skipped_leads == [lead], report
    assert world.store.link_by_sf_id(world.team_id, contact) is not None
    assert world.store.link_by_sf_id(world.team_id, other) is not None
    assert world.store.link_by_sf_id(world.team_id, lead) is None


def test_pull_settings_choose_objects_and_filter(world: World) -> None:
    world.connect_team_sync()
    world.store.set_pull_settings(
        world.team_id,
        PullSettings(
            objects=frozenset({SObject.CONTACT}), filters={SObject.CONTACT: "Title = 'CTO'"}
        ),
    )
    cto = world.salesforce.seed("Contact", "bob@acme", LastName="A", Title="CTO")
    world.salesforce.seed("Contact", "bob@acme", LastName="B", Title="VP")
    world.salesforce.seed("Lead", "bob@acme", LastName="C", Company="X")
    world.core.puller.pull(world.team_id)
    linked = [
        link
        for r in world.store.records(world.team_id)
        if (link := world.store.link_of(world.team_id, r.app_id)) is not None
    ]
    assert [link.sf_id for link in linked] == [cto], linked


def test_pull_is_incremental_and_brings_owner_changes(world: World) -> None:
    world.connect_team_sync()
    world.connect_personal(world.alice.member_id, "alice@acme")
    world.connect_personal(world.bob.member_id, "bob@acme")
    contact = world.salesforce.seed("Contact", "bob@acme", LastName="Doe")
    world.core.puller.pull(world.team_id)
    world.salesforce.records[contact]["OwnerId"] = world.user_id("alice@acme")
    world.salesforce.records[contact]["SystemModstamp"] = "2024-01-02T00:00:00.000+0000"
    report = world.core.puller.pull(world.team_id)
    link = world.store.link_by_sf_id(world.team_id, contact)
    assert link is not None
    assert world.store.record(link.app_id).owner_member_id == world.alice.member_id
    assert report.owner_changes == [link.app_id], report
    contact_queries = [
        c.payload["soql"]
        for c in world.salesforce.calls_of("query")
        if "FROM Contact ORDER" in c.payload["soql"] or "FROM Contact WHERE" in c.payload["soql"]
    ]
    assert "SystemModstamp >= 2024-01-01T00:00:01Z" in contact_queries[-1], contact_queries


def test_pulled_contact_links_to_its_pulled_account(world: World) -> None:
    world.connect_team_sync()
    account = world.salesforce.seed("Account", "bob@acme", Name="Acme")
    contact = world.salesforce.seed("Contact", "bob@acme", LastName="Doe", AccountId=account)
    world.core.puller.pull(world.team_id)
    person = world.store.link_by_sf_id(world.team_id, contact)
    company = world.store.link_by_sf_id(world.team_id, account)
    assert person is not None and company is not None
    assert world.store.record(person.app_id).company_app_id == company.app_id


def test_pull_pauses_on_request_limit_without_needs_reauth(world: World) -> None:
    credential_id = world.connect_team_sync()
    world.salesforce.fail_next(
        "query",
        RequestLimitExceeded("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", 403),
    )
    report = world.core.puller.pull(world.team_id)
    assert report.status == "paused_quota", report
    assert world.store.credential(credential_id).status is ConnectionStatus.PAUSED_QUOTA


def test_pull_failure_on_one_object_is_logged_and_others_continue(world: World) -> None:
    world.connect_team_sync()
    world.salesforce.seed("Contact", "bob@acme", LastName="Doe")
    world.salesforce.fail_next("query", RecordError("INVALID_TYPE", "sObject type 'Account'", 400))
    report = world.core.puller.pull(world.team_id)
    assert report.failed == ["Account: INVALID_TYPE"], report
    assert len(report.created) == 1, report
    entry = world.store.sync_log(world.team_id, "error")[0]
    assert (entry.direction, entry.sobject, entry.error_code) == ("pull", "Account", "INVALID_TYPE")


def test_pull_keeps_an_app_edit_that_is_still_waiting_to_be_pushed(world: World) -> None:
    world.connect_team_sync()
    contact = world.salesforce.seed("Contact", "bob@acme", LastName="Doe", Title="Engineer")
    world.core.puller.pull(world.team_id)
    link = world.store.link_by_sf_id(world.team_id, contact)
    assert link is not None
    record = world.store.record(link.app_id)
    world.store.save_record(replace(record, fields={**record.fields, "title": "CTO"}))
    world.salesforce.fail_next("update", Retryable("UNABLE_TO_LOCK_ROW", "locked", 400))
    world.core.push(world.alice.member_id, link.app_id)
    world.core.worker.drain()
    assert world.store.unsent_jobs(link.app_id) == {"push_record"}
    world.salesforce.records[contact]["SystemModstamp"] = "2024-01-02T00:00:00.000+0000"
    world.core.puller.pull(world.team_id)
    assert world.store.record(link.app_id).fields["title"] == "CTO", "the pull overwrote an edit"
