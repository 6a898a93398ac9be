"""Connecting a member's personal credential (S-05, S-08, S-09, X-12)."""

from __future__ import annotations

from dataclasses import dataclass

from integration.domain.model import RECORD_OBJECTS, AuthMethod, ConnectionStatus, CredentialKind
from integration.salesforce.errors import OAuthError, Retryable, SalesforceError
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.types import ApiSession, Identity, TokenGrant, UserPermissions
from integration.services.connections import Connections
from integration.services.errors import CredentialUnavailable
from integration.services.health import ConnectionHealth
from integration.storage.rows import Credential, NewCredential
from integration.store import Store

OAUTH_MESSAGES = {
    "access_denied": "You declined access in Salesforce, so nothing was connected.",
    "OAUTH_APP_ACCESS_DENIED": (
        "Your Salesforce administrator has not approved this app for your user. "
        "Ask them to grant access, then connect again."
    ),
    "OAUTH_APP_BLOCKED": "Your Salesforce administrator has blocked this app.",
    "inactive_user": "This Salesforce user is inactive and cannot be connected.",
    "invalid_state": "This connection attempt expired or was already used. Please start again.",
}
DEFAULT_OAUTH_MESSAGE = (
    "Salesforce refused the connection ({error}: {description}). "
    "Connect with your own Salesforce login, not a shared or integration-only account."
)

SHARED_ACCOUNT_MESSAGE = (
    "The Salesforce login {username} is a shared or integration-only account and cannot be "
    "linked as a personal credential. Connect with your own Salesforce login."
)


@dataclass(frozen=True)
class ConnectStart:
    authorization_url: str
    state: str


@dataclass(frozen=True)
class ConnectOutcome:
    """What the member sees after the callback; `error` is the OAuth or refusal code."""

    connected: bool
    message: str
    credential_id: int | None = None
    error: str | None = None
    identity: Identity | None = None


def oauth_message(error: str, description: str) -> str:
    template = OAUTH_MESSAGES.get(error, DEFAULT_OAUTH_MESSAGE)
    return template.format(error=error, description=description or "no details")


class PersonalConnections:
    def __init__(
        self,
        store: Store,
        gateway: SalesforceGateway,
        health: ConnectionHealth,
        connections: Connections | None = None,
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.health = health
        self.connections = connections

    def start(self, member_id: int, login_hint: str | None = None) -> ConnectStart:
        """The authorize URL (PKCE S256 + state); the verifier stays in the store."""
        member = self.store.member(member_id)
        request = self.gateway.authorization_request(login_hint)
        self.store.save_oauth_state(request.state, member.team_id, member_id, request.code_verifier)
        return ConnectStart(request.url, request.state)

    def complete(
        self,
        state: str,
        code: str | None = None,
        error: str | None = None,
        error_description: str | None = None,
    ) -> ConnectOutcome:
        """Handle the OAuth callback; on any error nothing is stored (S-09)."""
        pending = self.store.take_oauth_state(state)
        if pending is None:
            return ConnectOutcome(False, OAUTH_MESSAGES["invalid_state"], error="invalid_state")
        team_id, member_id, verifier = pending
        if error or not code:
            code_name = error or "access_denied"
            return ConnectOutcome(
                False, oauth_message(code_name, error_description or ""), error=code_name
            )
        try:
            grant = self.gateway.exchange_code(code, verifier)
            identity = self.gateway.identity(grant)
        except OAuthError as failure:
            return ConnectOutcome(
                False, oauth_message(failure.error, failure.description), error=failure.error
            )
        except Retryable as failure:
            message = "Salesforce could not be reached. Please try connecting again."
            return ConnectOutcome(False, message, error=failure.error_code)
        return self._checked_link(team_id, member_id, grant, identity)

    def _checked_link(
        self, team_id: int, member_id: int, grant: TokenGrant, identity: Identity
    ) -> ConnectOutcome:
        """S-09 before S-08's link: a shared account is refused, its grant given back."""
        shared = (
            None
            if self._refusal(member_id, identity)
            else self._shared_account(team_id, grant, identity)
        )
        if shared is not None:
            revoke_grant_quietly(self.gateway, grant)
            return ConnectOutcome(False, shared, error="shared_account", identity=identity)
        return self._link(team_id, member_id, grant, identity)

    def _shared_account(self, team_id: int, grant: TokenGrant, identity: Identity) -> str | None:
        """S-09: an API-only user, or one of a profile the team marks as integration, is a
        shared account, never a member's own login. Salesforce stops API-only users at its
        login page; this refuses what gets past it. Unreadable permissions do not refuse."""
        permissions = self._permissions(team_id, grant, identity.user_id)
        if permissions is None:
            return None
        marked = self.store.integration_profiles(team_id)
        if not (permissions.api_only or permissions.profile_name in marked):
            return None
        return SHARED_ACCOUNT_MESSAGE.format(username=identity.username)

    def _permissions(self, team_id: int, grant: TokenGrant, user_id: str) -> UserPermissions | None:
        """Read through team sync when it can (reads go through team sync, S-01), else with
        the new grant; None when neither can read them."""
        team_sync = self.store.team_sync_credential(team_id)
        try:
            if team_sync is not None and self.connections is not None:
                found = self.connections.call(
                    team_sync.credential_id,
                    lambda s: self.gateway.user_permissions(s, user_id, []),
                )
                if found is not None:
                    return found
            session = ApiSession(grant.instance_url, grant.access_token)
            return self.gateway.user_permissions(session, user_id, [])
        except (Retryable, SalesforceError, OAuthError, CredentialUnavailable):
            return None

    def disconnect(self, member_id: int) -> None:
        credential = self.store.personal_credential(member_id)
        if credential is not None:
            revoke_quietly(self.gateway, credential)
            self.store.clear_tokens(credential.credential_id)
            self.health.change(
                credential.credential_id,
                ConnectionStatus.DISCONNECTED,
                "disconnected by the member",
            )
            team_sync = self.store.team_sync_credential(credential.team_id)
            if team_sync is not None and team_sync.source_member_id == member_id:
                # Team sync used this login: it cannot work on, and the admins must hear it.
                self.health.needs_reauth(
                    team_sync, "the member whose Salesforce login team sync used disconnected it"
                )

    def _link(
        self, team_id: int, member_id: int, grant: TokenGrant, identity: Identity
    ) -> ConnectOutcome:
        new = credential_from_grant(
            team_id, member_id, CredentialKind.PERSONAL, AuthMethod.WEB_SERVER, identity, grant
        )
        # S-08 check and write in one (immediate) transaction: two members completing the flow
        # for the same login at the same moment cannot both win.
        with self.store.transaction():
            refusal = self._refusal(member_id, identity)
            previous = self.store.personal_credential(member_id) if refusal is None else None
            if refusal is None and previous is None:
                saved = self.store.add_credential(new)
            elif refusal is None and previous is not None:
                saved = self.store.replace_identity(previous.credential_id, new)
        if refusal is not None:
            revoke_token_quietly(self.gateway, grant.refresh_token or grant.access_token)
            return ConnectOutcome(False, refusal, error="already_linked", identity=identity)
        if previous is not None:
            revoke_quietly(self.gateway, previous)
            self.health.change(saved.credential_id, ConnectionStatus.CONNECTED, "reconnected")
        self._remember_field_access(member_id, grant)
        message = f"Connected to Salesforce as {identity.username}."
        return ConnectOutcome(True, message, saved.credential_id, identity=identity)

    def _remember_field_access(self, member_id: int, grant: TokenGrant) -> None:
        """X-18 with X-08: the member's field edit rights, kept for when TS pushes for them."""
        session = ApiSession(grant.instance_url, grant.access_token)
        for sobject in RECORD_OBJECTS:
            try:
                access = self.gateway.describe(session, sobject.value)
            except SalesforceError:
                continue  # unknown rights: such a push waits for a reconnect
            self.store.remember_field_access(
                member_id,
                sobject.value,
                frozenset(n for n, f in access.fields.items() if f.createable),
                frozenset(n for n, f in access.fields.items() if f.updateable),
            )

    def _refusal(self, member_id: int, identity: Identity) -> str | None:
        """S-08: one login, one member; and never the team sync user of somebody else."""
        for other in self.store.credentials_for_login(identity.org_id, identity.user_id):
            if other.kind is CredentialKind.PERSONAL and other.member_id != member_id:
                owner = self.store.member(other.member_id or 0).name if other.member_id else "?"
                return (
                    f"The Salesforce login {identity.username} is already linked to another "
                    f"member ({owner}). Connect your own Salesforce login instead."
                )
            if other.kind is CredentialKind.TEAM_SYNC and other.source_member_id != member_id:
                return (
                    f"The Salesforce login {identity.username} is the team sync user and "
                    "cannot be linked as a personal credential."
                )
        return None


def credential_from_grant(
    team_id: int,
    member_id: int,
    kind: CredentialKind,
    method: AuthMethod,
    identity: Identity,
    grant: TokenGrant,
) -> NewCredential:
    """What connecting stores: who the token belongs to, where its org answers, its tokens."""
    return NewCredential(
        team_id,
        member_id,
        kind,
        method,
        identity.org_id,
        identity.user_id,
        identity.username,
        grant.instance_url,
        grant.identity_url,
        grant.access_token,
        grant.refresh_token,
    )


def revoke_quietly(gateway: SalesforceGateway, credential: Credential) -> None:
    """Reconnect / disconnect revoke the old grant (X-12); a failed revoke does not block."""
    revoke_token_quietly(gateway, credential.refresh_token or credential.access_token)


def revoke_grant_quietly(gateway: SalesforceGateway, grant: TokenGrant) -> None:
    """A grant the app will not keep is given back (its refresh token, else its token)."""
    revoke_token_quietly(gateway, grant.refresh_token or grant.access_token)


def revoke_token_quietly(gateway: SalesforceGateway, token: str | None) -> None:
    if not token:
        return
    try:
        gateway.revoke(token)
    except (OAuthError, Retryable, SalesforceError):
        return
