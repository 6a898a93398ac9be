"""Token handling: refresh once retry once, permanent failures, single-flight rotation."""

from __future__ import annotations

import threading

import pytest
from conftest import World

from integration.domain.model import ConnectionStatus
from integration.salesforce.errors import InvalidSession, OAuthError, RequestLimitExceeded
from integration.salesforce.types import ApiSession
from integration.services.errors import CredentialUnavailable


def _describe(world: World) -> object:
    return lambda session: world.salesforce.describe(session, "Contact")


def test_call_refreshes_once_and_retries_once_after_invalid_session(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.expire_tokens("alice@acme")
    before = len(world.salesforce.calls_of("describe"))  # the connect's own describes
    access = world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert access is not None
    assert world.salesforce.refresh_count == 1, f"refreshes {world.salesforce.refresh_count}"
    assert len(world.salesforce.calls_of("describe")) - before == 2


def test_call_stops_after_one_retry_when_session_stays_invalid(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    error = InvalidSession("INVALID_SESSION_ID", "Session expired or invalid", 401)
    world.salesforce.fail_next("describe", error)
    world.salesforce.fail_next("describe", error)
    before = len(world.salesforce.calls_of("describe"))  # the connect's own describes
    with pytest.raises(InvalidSession):
        world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.salesforce.refresh_count == 1
    assert len(world.salesforce.calls_of("describe")) - before == 2


def test_refresh_invalid_grant_marks_needs_reauth_and_notifies_member(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.expire_tokens("alice@acme")
    world.salesforce.refresh_tokens.clear()
    with pytest.raises(OAuthError, match="invalid_grant"):
        world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.store.credential(credential_id).status is ConnectionStatus.NEEDS_REAUTH
    assert world.salesforce.refresh_count == 1
    notes = world.store.notifications(world.alice.member_id)
    assert [n.kind for n in notes] == ["reconnect_salesforce"], f"notifications {notes}"
    with pytest.raises(CredentialUnavailable, match="needs_reauth"):
        world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.salesforce.refresh_count == 1, "a needs_reauth connection refreshed again"


def test_team_sync_invalid_grant_notifies_admins(world: World) -> None:
    world.salesforce.client_credentials_user = "int@acme"
    credential_id = world.core.team_sync.connect_client_credentials(world.admin.member_id)
    world.salesforce.expire_tokens("int@acme")
    world.salesforce.client_credentials_user = None
    with pytest.raises(OAuthError):
        world.core.connections.call(credential_id.credential_id, _describe(world))  # type: ignore[arg-type]
    assert [n.kind for n in world.store.notifications(world.admin.member_id)] == [
        "reconnect_salesforce"
    ]


def test_jwt_team_sync_gets_new_token_by_new_assertion(world: World) -> None:
    credential_id = world.connect_team_sync()
    world.salesforce.expire_tokens("int@acme")
    world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.store.credential(credential_id).status is ConnectionStatus.CONNECTED


def test_busy_refresh_waits_and_retries_without_needs_reauth(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.expire_tokens("alice@acme")
    world.salesforce.fail_next(
        "refresh", OAuthError("invalid_grant", "Token request is already being processed", 400)
    )
    world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.store.credential(credential_id).status is ConnectionStatus.CONNECTED
    assert world.salesforce.refresh_count == 2


def test_refresh_is_single_flight_with_rotation_across_threads(world: World) -> None:
    world.salesforce.rotation = True
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    stale = world.store.credential(credential_id).access_token or ""
    world.salesforce.expire_tokens("alice@acme")
    barrier = threading.Barrier(4)
    sessions: list[ApiSession] = []

    def worker() -> None:
        barrier.wait()
        sessions.append(world.core.connections.refresh(credential_id, stale))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert world.salesforce.refresh_count == 1, f"refreshes {world.salesforce.refresh_count}"
    assert len({s.access_token for s in sessions}) == 1, f"sessions {sessions}"
    stored = world.store.credential(credential_id)
    assert stored.refresh_token in world.salesforce.refresh_tokens, "rotated token not saved"


def test_request_limit_pauses_connection_until_later(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.salesforce.fail_next(
        "describe", RequestLimitExceeded("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    )
    with pytest.raises(RequestLimitExceeded):
        world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    assert world.store.credential(credential_id).status is ConnectionStatus.PAUSED_QUOTA
    assert world.salesforce.refresh_count == 0, "quota was treated as an auth failure"


def test_tokens_are_encrypted_at_rest(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    token = world.store.credential(credential_id).access_token
    raw = world.store._rows("SELECT access_token FROM credentials WHERE id = ?", (credential_id,))
    assert token and raw[0]["access_token"] != token, "access token stored in clear"


def test_team_sync_sharing_member_login_needs_reauth_with_it(world: World) -> None:
    personal_id = world.connect_personal(world.bob.member_id, "bob@acme")
    outcome = world.core.team_sync.connect_from_member(world.admin.member_id, world.bob.member_id)
    world.salesforce.expire_tokens("bob@acme")
    world.salesforce.refresh_tokens.clear()
    with pytest.raises(OAuthError):
        world.core.connections.call(outcome.credential_id, _describe(world))  # type: ignore[arg-type]
    statuses = (
        world.store.credential(personal_id).status,
        world.store.credential(outcome.credential_id).status,
    )
    assert statuses == (ConnectionStatus.NEEDS_REAUTH, ConnectionStatus.NEEDS_REAUTH), statuses


def test_waiting_callers_do_not_refresh_a_connection_that_already_needs_reauth(
    world: World,
) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    stale = world.store.credential(credential_id).access_token or ""
    world.salesforce.expire_tokens("alice@acme")
    world.salesforce.refresh_tokens.clear()
    with pytest.raises(OAuthError, match="invalid_grant"):
        world.core.connections.refresh(credential_id, stale)
    for _ in range(3):
        with pytest.raises(CredentialUnavailable):
            world.core.connections.refresh(credential_id, stale)
    assert world.salesforce.refresh_count == 1, "queued callers refreshed a dead token again"


def test_refresh_refused_after_another_process_rotated_uses_the_saved_token(
    world: World,
) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    before = world.store.credential(credential_id)

    def other_process_won(refresh_token: str) -> object:
        # Another worker refreshed first: it saved a rotated token in the shared store, and
        # Salesforce now refuses the token this worker still holds.
        world.store.save_tokens(credential_id, "00DOTHER!fresh", "rotated", before.instance_url)
        raise OAuthError("invalid_grant", "expired access/refresh token")

    world.salesforce.refresh = other_process_won  # type: ignore[method-assign,assignment]
    session = world.core.connections.refresh(credential_id, before.access_token or "")
    assert session.access_token == "00DOTHER!fresh", session
    assert world.store.credential(credential_id).status is ConnectionStatus.CONNECTED


def test_a_degraded_connection_is_degraded_again_after_a_quota_pause(world: World) -> None:
    credential_id = world.connect_personal(world.alice.member_id, "alice@acme")
    world.core.health.change(credential_id, ConnectionStatus.DEGRADED, "Contact.Title: no edit")
    world.salesforce.fail_next(
        "describe", RequestLimitExceeded("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    )
    with pytest.raises(RequestLimitExceeded):
        world.core.connections.call(credential_id, _describe(world))  # type: ignore[arg-type]
    paused = world.store.credential(credential_id)
    assert paused.status is ConnectionStatus.PAUSED_QUOTA
    assert paused.paused_until is not None
    resumed = world.core.health.resume_if_due(paused, paused.paused_until)
    assert resumed.status is ConnectionStatus.DEGRADED, resumed.status_reason
