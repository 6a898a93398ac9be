"""The core's SQLite store: settings, single-use OAuth state, waiting jobs, threads."""

from __future__ import annotations

import threading

from integration.domain.model import ActivityKind, PullSettings, PushSettings, SObject
from integration.store import Store


def test_store_push_and_pull_settings_round_trip(store: Store) -> None:
    team = store.create_team("Acme")
    push = PushSettings(
        create_people=False, people_as=SObject.LEAD, activity_kinds=frozenset({ActivityKind.CALL})
    )
    pull = PullSettings(
        objects=frozenset({SObject.CONTACT}), filters={SObject.CONTACT: "Title = 'CTO'"}
    )
    store.set_push_settings(team.team_id, push)
    store.set_pull_settings(team.team_id, pull)
    assert store.push_settings(team.team_id) == push
    assert store.pull_settings(team.team_id) == pull


def test_store_field_mapping_defaults_until_replaced(store: Store) -> None:
    team = store.create_team("Acme")
    assert store.field_mapping(team.team_id, SObject.CONTACT)["last_name"] == "LastName"
    store.set_field_mapping(team.team_id, SObject.CONTACT, {"score": "Lead_Score__c"})
    assert store.field_mapping(team.team_id, SObject.CONTACT) == {"score": "Lead_Score__c"}


def test_store_oauth_state_is_single_use_and_verifier_encrypted(store: Store) -> None:
    team = store.create_team("Acme")
    member = store.add_member(team.team_id, "Alice", "a@acme.test")
    store.save_oauth_state("s1", team.team_id, member.member_id, "verifier-1")
    raw = store._rows("SELECT code_verifier FROM oauth_states")
    assert raw[0]["code_verifier"] != "verifier-1", "verifier stored in clear"
    assert store.take_oauth_state("s1") == (team.team_id, member.member_id, "verifier-1")
    assert store.take_oauth_state("s1") is None


def test_store_wake_waiting_makes_jobs_due(store: Store) -> None:
    team = store.create_team("Acme")
    job_id = store.enqueue(team.team_id, "log_activity", "act-1", 1, waits_for_app_id="p-1")
    assert store.due_jobs(store.now()) == []
    assert store.wake_waiting("p-1") == 1
    assert [job.job_id for job in store.due_jobs(store.now())] == [job_id]


def test_store_enqueue_is_safe_across_threads(store: Store) -> None:
    team = store.create_team("Acme")

    def enqueue_many() -> None:
        for index in range(50):
            store.enqueue(team.team_id, "push_record", f"p-{index}", 1)

    threads = [threading.Thread(target=enqueue_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.jobs(team.team_id)) == 200
