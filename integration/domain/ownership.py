"""Who acts and who owns (S-01, S-05, S-06, S-10, X-01, X-03, X-04, X-08)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from integration.domain.model import ConnectionStatus, CredentialKind

USABLE_STATUSES = frozenset(
    {ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED, ConnectionStatus.PAUSED_QUOTA}
)
"""A credential in one of these states can still make calls (a paused one waits its turn)."""


class NoUsableCredential(Exception):
    """Neither a healthy personal credential nor a usable team sync credential exists."""


@dataclass(frozen=True)
class CredentialState:
    """What the rules need to know about one connection."""

    credential_id: int
    kind: CredentialKind
    status: ConnectionStatus
    sf_user_id: str


@dataclass(frozen=True)
class ActingCredential:
    """The token a call is made with; its user becomes CreatedById / LastModifiedById."""

    credential_id: int
    kind: CredentialKind
    sf_user_id: str


class OwnerSource(StrEnum):
    PERSONAL_CREDENTIAL = "personal_credential"
    PROFILE_OWNER = "profile_owner"
    TEAM_SYNC = "team_sync"


@dataclass(frozen=True)
class OwnerDecision:
    owner_id: str
    source: OwnerSource
    warnings: tuple[str, ...] = ()


def is_linked(personal: CredentialState | None) -> bool:
    """A personal credential links a member to a Salesforce user until it is disconnected."""
    return personal is not None and personal.status is not ConnectionStatus.DISCONNECTED


def acting_credential(
    personal: CredentialState | None, team_sync: CredentialState | None
) -> ActingCredential:
    """The member's healthy PC (S-05), else TS (S-01); a PC needing reauth falls back (X-08)."""
    for candidate in (personal, team_sync):
        if candidate is not None and candidate.status in USABLE_STATUSES:
            return ActingCredential(candidate.credential_id, candidate.kind, candidate.sf_user_id)
    raise NoUsableCredential("no healthy personal credential and no usable team sync credential")


def resolve_owner(
    personal: CredentialState | None,
    personal_user_active: bool,
    profile_owner_id: str | None,
    profile_owner_active: bool,
    team_sync_user_id: str,
) -> OwnerDecision:
    """S-06 owner precedence with the active-user guard of X-01 and the reauth case of X-08.

    A linked PC user owns even while the PC needs reauth, as long as that user is active.
    A profile owner must be active, else the TS user owns and a warning is returned.
    """
    if is_linked(personal) and personal is not None and personal_user_active:
        return OwnerDecision(personal.sf_user_id, OwnerSource.PERSONAL_CREDENTIAL)
    warnings: list[str] = []
    if is_linked(personal) and personal is not None:
        warnings.append(f"personal credential user {personal.sf_user_id} is inactive or frozen")
    if profile_owner_id is not None:
        if profile_owner_active:
            return OwnerDecision(profile_owner_id, OwnerSource.PROFILE_OWNER, tuple(warnings))
        warnings.append(
            f"profile owner {profile_owner_id} is inactive or frozen; team sync user owns"
        )
    return OwnerDecision(team_sync_user_id, OwnerSource.TEAM_SYNC, tuple(warnings))


ASSIGNMENT_RULE_OBJECTS = frozenset({"Lead", "Account"})


def auto_assign_header(payload: dict[str, object], sobject: str = "") -> bool | None:
    """X-03 / X-04: `Sforce-Auto-Assign: FALSE` when the write carries an explicit OwnerId, and
    on every write to an object assignment rules can route (the header defaults to TRUE, so
    an update without it would let a rule move the record); otherwise no header."""
    if "OwnerId" in payload or sobject in ASSIGNMENT_RULE_OBJECTS:
        return False
    return None


def update_payload(
    fields: dict[str, object], owner_change_to: str | None = None
) -> dict[str, object]:
    """X-04: an update never carries OwnerId unless the update is the owner change itself."""
    payload = {name: value for name, value in fields.items() if name != "OwnerId"}
    if owner_change_to is not None:
        payload["OwnerId"] = owner_change_to
    return payload
