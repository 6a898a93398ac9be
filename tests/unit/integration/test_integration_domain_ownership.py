"""Who acts and who owns, for every combination (S-01, S-05, S-06, S-10, X-01, X-03, X-04, X-08)."""

from __future__ import annotations

import pytest

from integration.domain.model import ConnectionStatus as St
from integration.domain.model import CredentialKind
from integration.domain.ownership import (
    CredentialState,
    NoUsableCredential,
    OwnerSource,
    acting_credential,
    auto_assign_header,
    resolve_owner,
    update_payload,
)

PC_USER = "005PC"
TS_USER = "005TS"
PROFILE_OWNER = "005PO"


def _pc(status: St | None) -> CredentialState | None:
    return None if status is None else CredentialState(1, CredentialKind.PERSONAL, status, PC_USER)


def _ts(status: St | None) -> CredentialState | None:
    return None if status is None else CredentialState(2, CredentialKind.TEAM_SYNC, status, TS_USER)


@pytest.mark.parametrize(
    ("pc_status", "ts_status", "expected_user"),
    [
        (St.CONNECTED, St.CONNECTED, PC_USER),
        (St.DEGRADED, St.CONNECTED, PC_USER),
        (St.PAUSED_QUOTA, St.CONNECTED, PC_USER),
        (St.NEEDS_REAUTH, St.CONNECTED, TS_USER),
        (St.DISCONNECTED, St.CONNECTED, TS_USER),
        (None, St.CONNECTED, TS_USER),
        (None, St.DEGRADED, TS_USER),
        (St.NEEDS_REAUTH, St.PAUSED_QUOTA, TS_USER),
        (St.CONNECTED, None, PC_USER),
        (St.CONNECTED, St.NEEDS_REAUTH, PC_USER),
    ],
)
def test_acting_credential_is_healthy_pc_else_team_sync(
    pc_status: St | None, ts_status: St | None, expected_user: str
) -> None:
    acting = acting_credential(_pc(pc_status), _ts(ts_status))
    assert acting.sf_user_id == expected_user, f"pc={pc_status} ts={ts_status} -> {acting}"


@pytest.mark.parametrize(
    ("pc_status", "ts_status"),
    [
        (None, None),
        (St.NEEDS_REAUTH, St.NEEDS_REAUTH),
        (St.DISCONNECTED, St.DISCONNECTED),
        (None, St.NEEDS_REAUTH),
    ],
)
def test_acting_credential_raises_when_nothing_is_usable(
    pc_status: St | None, ts_status: St | None
) -> None:
    with pytest.raises(NoUsableCredential, match="no healthy personal credential"):
        acting_credential(_pc(pc_status), _ts(ts_status))


@pytest.mark.parametrize(
    ("pc_status", "pc_active", "profile_owner", "po_active", "owner", "source", "warned"),
    [
        (St.CONNECTED, True, None, False, PC_USER, OwnerSource.PERSONAL_CREDENTIAL, False),
        (St.CONNECTED, True, PROFILE_OWNER, True, PC_USER, OwnerSource.PERSONAL_CREDENTIAL, False),
        (St.NEEDS_REAUTH, True, None, False, PC_USER, OwnerSource.PERSONAL_CREDENTIAL, False),
        (St.NEEDS_REAUTH, False, None, False, TS_USER, OwnerSource.TEAM_SYNC, True),
        (
            St.NEEDS_REAUTH,
            False,
            PROFILE_OWNER,
            True,
            PROFILE_OWNER,
            OwnerSource.PROFILE_OWNER,
            True,
        ),
        (St.DISCONNECTED, True, None, False, TS_USER, OwnerSource.TEAM_SYNC, False),
        (None, False, PROFILE_OWNER, True, PROFILE_OWNER, OwnerSource.PROFILE_OWNER, False),
        (None, False, PROFILE_OWNER, False, TS_USER, OwnerSource.TEAM_SYNC, True),
        (None, False, None, False, TS_USER, OwnerSource.TEAM_SYNC, False),
    ],
)
def test_resolve_owner_follows_precedence_and_active_guard(
    pc_status: St | None,
    pc_active: bool,
    profile_owner: str | None,
    po_active: bool,
    owner: str,
    source: OwnerSource,
    warned: bool,
) -> None:
    decision = resolve_owner(_pc(pc_status), pc_active, profile_owner, po_active, TS_USER)
    assert (decision.owner_id, decision.source) == (owner, source), f"got {decision}"
    assert bool(decision.warnings) is warned, f"warnings: {decision.warnings}"


def test_resolve_owner_warns_about_inactive_profile_owner() -> None:
    decision = resolve_owner(None, False, PROFILE_OWNER, False, TS_USER)
    assert decision.warnings == (
        f"profile owner {PROFILE_OWNER} is inactive or frozen; team sync user owns",
    )


@pytest.mark.parametrize(
    ("payload", "header"),
    [({"OwnerId": "005A", "LastName": "Doe"}, False), ({"LastName": "Doe"}, None)],
)
def test_auto_assign_header_is_false_only_with_explicit_owner(
    payload: dict[str, object], header: bool | None
) -> None:
    assert auto_assign_header(payload) is header


def test_update_payload_drops_owner_unless_owner_change() -> None:
    plain = update_payload({"OwnerId": "005A", "Title": "CTO"})
    change = update_payload({"Title": "CTO"}, owner_change_to="005B")
    assert plain == {"Title": "CTO"}, f"plain update carried {plain}"
    assert change == {"Title": "CTO", "OwnerId": "005B"}, f"owner change carried {change}"


@pytest.mark.parametrize(
    ("payload", "sobject", "header"),
    [
        ({}, "Lead", False),
        ({}, "Account", False),
        ({}, "Contact", None),
        ({"Title": "x"}, "Task", None),
    ],
)
def test_auto_assign_is_false_on_every_write_to_objects_assignment_rules_route(
    payload: dict[str, object], sobject: str, header: bool | None
) -> None:
    assert auto_assign_header(payload, sobject) is header
