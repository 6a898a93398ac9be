"""Who acts and who owns for one member, with the facts the pure rules need (S-06, X-01, X-08)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from integration.domain.model import ConnectionStatus, SObject
from integration.domain.ownership import (
    ActingCredential,
    CredentialState,
    NoUsableCredential,
    OwnerDecision,
    acting_credential,
    is_linked,
    resolve_owner,
)
from integration.salesforce.errors import (
    InvalidSession,
    OAuthError,
    RequestLimitExceeded,
    Retryable,
    SalesforceError,
)
from integration.salesforce.gateway import SalesforceGateway
from integration.services.connections import Connections
from integration.services.errors import SyncFailure
from integration.storage.rows import Credential
from integration.store import Store

HEALTHY = (ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED, ConnectionStatus.PAUSED_QUOTA)


@dataclass(frozen=True)
class Route:
    acting: ActingCredential
    owner: OwnerDecision


@contextmanager
def reported_as(sobject: SObject | str, acting: ActingCredential | None) -> Iterator[None]:
    """Wrap Salesforce and OAuth errors raised inside with the object and acting credential."""
    try:
        yield
    except (SalesforceError, OAuthError) as error:
        credential_id = acting.credential_id if acting else None
        raise SyncFailure(error, str(sobject), credential_id) from error


class Router:
    def __init__(self, store: Store, gateway: SalesforceGateway, connections: Connections) -> None:
        self.store = store
        self.gateway = gateway
        self.connections = connections

    def route(self, member_id: int, owner_member_id: int | None = None) -> Route:
        """Acting credential of `member_id`; owner per `owner_member_id` (default: same)."""
        member = self.store.member(member_id)
        team_sync = self.store.team_sync_credential(member.team_id)
        personal = self.store.personal_credential(member_id)
        acting = acting_credential(_state(personal), _state(team_sync))
        owner = self.owner_for(owner_member_id or member_id, acting, team_sync)
        return Route(acting, owner)

    def owner_for(
        self, member_id: int, acting: ActingCredential, team_sync: Credential | None
    ) -> OwnerDecision:
        member = self.store.member(member_id)
        personal = self.store.personal_credential(member_id)
        personal_active = is_linked(_state(personal)) and self._personal_active(personal, acting)
        profile_owner = member.profile_owner_id
        profile_active = profile_owner is not None and self._user_active(acting, profile_owner)
        team_sync_user = team_sync.sf_user_id if team_sync else acting.sf_user_id
        return resolve_owner(
            _state(personal), personal_active, profile_owner, profile_active, team_sync_user
        )

    def _personal_active(self, personal: Credential | None, acting: ActingCredential) -> bool:
        """The acting PC's own working token proves an active user; any other PC's user (a PC
        needing reauth, X-08, or another member's login in an owner change, X-01) is looked
        up through the acting credential."""
        if personal is None:
            return False
        if personal.status in HEALTHY and personal.credential_id == acting.credential_id:
            return True
        return self._user_active(acting, personal.sf_user_id)

    def _user_active(self, acting: ActingCredential, user_id: str) -> bool:
        try:
            user = self.connections.call(
                acting.credential_id, lambda s: self.gateway.get_user(s, user_id)
            )
        except (Retryable, RequestLimitExceeded, InvalidSession):
            raise  # a passing outage must not quietly change the owner (S-06): retry the job
        except SalesforceError:
            return False
        return user is not None and user.can_own


def _state(credential: Credential | None) -> CredentialState | None:
    return None if credential is None else credential.state


__all__ = ["NoUsableCredential", "Route", "Router", "SyncFailure", "reported_as"]
