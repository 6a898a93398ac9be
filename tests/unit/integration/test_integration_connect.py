"""Connecting personal and team sync credentials (S-01..S-05, S-08, S-09, X-12, X-29)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import World

from integration.domain.model import ConnectionStatus, CredentialKind, MemberRole
from integration.salesforce.errors import Retryable
from integration.services.errors import MemberNotConnected, NotAllowed


def test_personal_connect_start_returns_authorize_url_with_pkce_and_state(world: World) -> None:
    start = world.core.personal.start(world.alice.member_id)
    assert start.state in start.authorization_url, f"url {start.authorization_url}"
    assert "code_challenge_method=S256" in start.authorization_url


def test_personal_connect_complete_links_identity(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    credential = world.store.credential(credential_id)
    assert (credential.kind, credential.sf_user_id, credential.username) == (
        CredentialKind.PERSONAL,
        world.user_id("alice@acme"),
        "alice@acme",
    )
    assert credential.status is ConnectionStatus.CONNECTED


def test_personal_connect_complete_with_oauth_error_stores_nothing(world: World) -> None:
    start = world.core.personal.start(world.alice.member_id)
    outcome = world.core.personal.complete(
        start.state,
        error="OAUTH_APP_ACCESS_DENIED",
        error_description="user is not admin approved to access this app",
    )
    assert not outcome.connected and outcome.error == "OAUTH_APP_ACCESS_DENIED"
    assert "administrator has not approved" in outcome.message, outcome.message
    assert world.store.personal_credential(world.alice.member_id) is None


def test_personal_connect_complete_refuses_reused_state(world: World) -> None:
    start = world.core.personal.start(world.alice.member_id)
    code = world.salesforce.code_for("alice@acme")
    assert world.core.personal.complete(start.state, code=code).connected
    again = world.core.personal.complete(start.state, code=code)
    assert again.error == "invalid_state", f"second callback gave {again}"


def test_personal_connect_refuses_login_linked_to_another_member(world: World) -> None:
    first = world.connect_personal(world.alice.member_id, "alice@acme")
    start = world.core.personal.start(world.bob.member_id)
    outcome = world.core.personal.complete(
        start.state, code=world.salesforce.code_for("alice@acme")
    )
    assert not outcome.connected and outcome.error == "already_linked"
    assert "already linked to another member (Alice)" in outcome.message, outcome.message
    assert world.store.personal_credential(world.bob.member_id) is None
    kept = world.store.credential(first)
    assert (kept.member_id, kept.status) == (world.alice.member_id, ConnectionStatus.CONNECTED)


def test_personal_connect_refuses_the_team_sync_user(world: World) -> None:
    world.connect_team_sync()
    start = world.core.personal.start(world.bob.member_id)
    outcome = world.core.personal.complete(start.state, code=world.salesforce.code_for("int@acme"))
    assert outcome.error == "already_linked", f"got {outcome}"
    assert "team sync user" in outcome.message, outcome.message


def test_personal_connect_refuses_an_api_only_login_and_gives_its_grant_back(
    world: World,
) -> None:
    start = world.core.personal.start(world.bob.member_id)
    outcome = world.core.personal.complete(start.state, code=world.salesforce.code_for("int@acme"))
    assert (outcome.connected, outcome.error) == (False, "shared_account"), f"got {outcome}"
    assert "shared or integration-only account" in outcome.message, outcome.message
    assert world.store.personal_credential(world.bob.member_id) is None
    assert world.salesforce.revoked, "the refused grant was not revoked"


def test_personal_reconnect_revokes_previous_token_and_keeps_connection_id(world: World) -> None:
    first = world.connect_personal(world.alice.member_id, "alice@acme")
    old_refresh = world.store.credential(first).refresh_token
    second = world.connect_personal(world.alice.member_id, "alice@acme")
    assert second == first, f"reconnect made a new connection {second} (was {first})"
    assert old_refresh in world.salesforce.revoked, f"revoked {world.salesforce.revoked}"


def test_personal_reconnect_after_needs_reauth_records_recovery(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.health.change(credential_id, ConnectionStatus.NEEDS_REAUTH, "invalid_grant")
    world.connect_personal(world.alice.member_id, "alice@acme")
    events = [e.event for e in world.store.connection_events(credential_id)]
    assert events == ["connection.needs_reauth", "connection.recovered"], f"events {events}"


def test_personal_disconnect_revokes_and_marks_disconnected(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.personal.disconnect(world.alice.member_id)
    credential = world.store.credential(credential_id)
    assert credential.status is ConnectionStatus.DISCONNECTED
    assert credential.access_token is None and credential.refresh_token is None


def test_team_sync_jwt_connects_dedicated_user_without_advisory(world: World) -> None:
    outcome = world.core.team_sync.connect_jwt(world.admin.member_id, "int@acme")
    assert outcome.username == "int@acme"
    assert outcome.report.status is ConnectionStatus.CONNECTED, outcome.report.lines
    assert outcome.report.advisories == (), outcome.report.advisories


def test_team_sync_client_credentials_acts_as_run_as_user(world: World) -> None:
    world.salesforce.client_credentials_user = "int@acme"
    outcome = world.core.team_sync.connect_client_credentials(world.admin.member_id)
    credential = world.store.credential(outcome.credential_id)
    assert credential.sf_user_id == world.user_id("int@acme")
    assert credential.refresh_token is None


def test_team_sync_from_member_is_allowed_with_advisory(world: World) -> None:
    world.connect_personal(world.bob.member_id, "bob@acme")
    outcome = world.core.team_sync.connect_from_member(world.admin.member_id, world.bob.member_id)
    assert outcome.username == "bob@acme"
    assert any("dedicated integration user" in a for a in outcome.report.advisories), (
        f"advisories {outcome.report.advisories}"
    )
    describe_users = {c.user_id for c in world.salesforce.calls_of("describe")}
    assert describe_users == {world.user_id("bob@acme")}, f"preflight ran as {describe_users}"


def test_team_sync_from_member_requires_member_connection(world: World) -> None:
    with pytest.raises(MemberNotConnected, match="has not connected"):
        world.core.team_sync.connect_from_member(world.admin.member_id, world.bob.member_id)


def test_team_sync_refuses_non_admin(world: World) -> None:
    with pytest.raises(NotAllowed, match="Alice is not an admin"):
        world.core.team_sync.connect_jwt(world.alice.member_id, "int@acme")


def test_team_sync_preflight_reports_gaps_and_degrades(world: World) -> None:
    world.salesforce.user("int@acme").readonly_fields.add("Title")
    world.salesforce.user("int@acme").hidden_objects.add("Event")
    outcome = world.core.team_sync.connect_jwt(world.admin.member_id, "int@acme")
    lines = outcome.report.lines
    assert outcome.report.status is ConnectionStatus.DEGRADED
    assert "Contact.Title: no edit permission" in lines, lines
    assert "Lead.Title: no edit permission" in lines, lines
    assert "Event: no read permission" in lines, lines
    assert world.store.credential(outcome.credential_id).status is ConnectionStatus.DEGRADED


def test_team_sync_preflight_reports_missing_api_and_view_all(world: World) -> None:
    world.salesforce.user("int@acme").view_all_data = False
    outcome = world.core.team_sync.connect_jwt(world.admin.member_id, "int@acme")
    assert "Contact: no View All permission (pull limited by sharing)" in outcome.report.lines


def test_team_sync_preflight_recovers_when_permissions_are_fixed(world: World) -> None:
    user = world.salesforce.user("int@acme")
    user.view_all_data = True
    user.readonly_fields.add("Title")
    credential_id = world.connect_team_sync()
    user.readonly_fields.clear()
    report = world.core.team_sync.preflight(world.team_id)
    assert report.status is ConnectionStatus.CONNECTED, report.lines
    events = [e.event for e in world.store.connection_events(credential_id)]
    assert events == ["connection.degraded", "connection.recovered"], events


def test_team_sync_preflight_advises_when_permissions_unreadable(world: World) -> None:
    user = world.salesforce.user("int@acme")
    user.permissions_readable = False
    outcome = world.core.team_sync.connect_jwt(world.admin.member_id, "int@acme")
    assert any("could not be read" in a for a in outcome.report.advisories)


def test_team_sync_replacement_disconnects_and_revokes_previous(world: World) -> None:
    first = world.connect_team_sync()
    old_token = world.store.credential(first).access_token
    world.salesforce.client_credentials_user = "int@acme"
    world.core.team_sync.connect_client_credentials(world.admin.member_id)
    assert world.store.credential(first).status is ConnectionStatus.DISCONNECTED
    assert old_token in world.salesforce.revoked


def test_personal_connect_reports_unreachable_salesforce(world: World) -> None:
    start = world.core.personal.start(world.alice.member_id)
    world.salesforce.fail_next("exchange_code", Retryable("TIMEOUT", "connection refused"))
    outcome = world.core.personal.complete(
        start.state, code=world.salesforce.code_for("alice@acme")
    )
    assert (outcome.connected, outcome.error) == (False, "TIMEOUT"), outcome
    assert world.store.personal_credential(world.alice.member_id) is None


def test_personal_connect_code_exchange_error_stores_nothing(world: World) -> None:
    start = world.core.personal.start(world.alice.member_id)
    outcome = world.core.personal.complete(start.state, code="never-issued")
    assert (outcome.connected, outcome.error) == (False, "invalid_grant"), outcome
    assert world.store.personal_credential(world.alice.member_id) is None


def test_team_sync_preflight_reports_api_disabled_once(world: World) -> None:
    world.salesforce.user("int@acme").api_enabled = False
    outcome = world.core.team_sync.connect_jwt(world.admin.member_id, "int@acme")
    assert outcome.report.status is ConnectionStatus.DEGRADED
    assert outcome.report.lines == [
        "User: API_CURRENTLY_DISABLED: API is disabled for this User"
    ], outcome.report.lines


def test_team_sync_cannot_be_picked_from_another_teams_member(world: World) -> None:
    world.connect_personal(world.bob.member_id, "bob@acme")
    other_team = world.store.create_team("Other")
    other_admin = world.store.add_member(
        other_team.team_id, "Olga", "olga@other.example", MemberRole.ADMIN
    )
    with pytest.raises(NotAllowed, match="another team"):
        world.core.team_sync.connect_from_member(other_admin.member_id, world.bob.member_id)
    assert world.store.team_sync_credential(other_team.team_id) is None


def test_disconnecting_the_login_team_sync_uses_needs_reauth_for_team_sync_and_tells_admins(
    world: World,
) -> None:
    world.connect_personal(world.bob.member_id, "bob@acme")
    world.core.team_sync.connect_from_member(world.admin.member_id, world.bob.member_id)
    world.core.personal.disconnect(world.bob.member_id)
    team_sync = world.store.team_sync_credential(world.team_id)
    assert team_sync is not None and team_sync.status is ConnectionStatus.NEEDS_REAUTH, team_sync
    notes = world.store.notifications(world.admin.member_id)
    assert any("disconnected" in n.message for n in notes), notes


def test_an_oauth_state_older_than_half_an_hour_is_refused(world: World, clock: Any) -> None:
    start = world.core.personal.start(world.alice.member_id)
    clock.advance(minutes=31)
    outcome = world.core.personal.complete(start.state, code="any")
    assert (outcome.connected, outcome.error) == (False, "invalid_state"), outcome
