"""Calls made with a stored credential: refresh once, retry once; single-flight refresh.

X-06: Salesforce sends no `expires_in`, so a 401 INVALID_SESSION_ID is the only expiry signal.
X-07: invalid_grant / invalid_client on refresh -> needs_reauth at once, no retry loop.
X-10: one refresh per connection at a time; the rotated token is saved before use; a caller
that lost the race re-reads the stored token instead of refreshing again.
X-11: "Token request is already being processed" -> wait, re-read, retry.
X-16: REQUEST_LIMIT_EXCEEDED pauses the connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from integration.domain.model import AuthMethod, ConnectionStatus, CredentialKind
from integration.salesforce.errors import InvalidSession, OAuthError, RequestLimitExceeded
from integration.salesforce.gateway import SalesforceGateway
from integration.salesforce.types import ApiSession, TokenGrant
from integration.services.errors import CredentialUnavailable
from integration.services.health import ConnectionHealth
from integration.storage.rows import Credential
from integration.store import Store

T = TypeVar("T")
QUOTA_PAUSE = timedelta(minutes=15)


class Connections:
    def __init__(
        self,
        store: Store,
        gateway: SalesforceGateway,
        health: ConnectionHealth,
        sleep: Callable[[float], None] = time.sleep,
        busy_retries: int = 3,
        busy_wait_seconds: float = 0.5,
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.health = health
        self.sleep = sleep
        self.busy_retries = busy_retries
        self.busy_wait_seconds = busy_wait_seconds
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def session(self, credential_id: int, own_token: bool = True) -> ApiSession:
        """The stored token and this connection's own instance_url (X-13)."""
        credential = self.health.resume_if_due(
            self.store.credential(credential_id), self.store.now()
        )
        if credential.status in (ConnectionStatus.NEEDS_REAUTH, ConnectionStatus.DISCONNECTED):
            raise CredentialUnavailable(credential)
        if credential.status is ConnectionStatus.PAUSED_QUOTA:
            raise CredentialUnavailable(credential)
        if own_token and not credential.access_token:
            raise CredentialUnavailable(credential)
        return ApiSession(credential.instance_url, credential.access_token or "")

    def call(self, credential_id: int, operation: Callable[[ApiSession], T]) -> T:
        """Run `operation`; on INVALID_SESSION_ID refresh once and retry once, then stop."""
        holder_id = self.token_holder(credential_id)
        if holder_id != credential_id:
            self.session(credential_id, own_token=False)
        session = self.session(holder_id)
        try:
            return self._quota_guard(credential_id, operation, session)
        except InvalidSession:
            fresh = self.refresh(holder_id, session.access_token)
            return self._quota_guard(credential_id, operation, fresh)

    def token_holder(self, credential_id: int) -> int:
        """A team sync picked from a member's connection uses that member's tokens."""
        credential = self.store.credential(credential_id)
        if credential.kind is CredentialKind.TEAM_SYNC and credential.source_member_id is not None:
            personal = self.store.personal_credential(credential.source_member_id)
            if personal is not None:
                return personal.credential_id
        return credential_id

    def refresh(self, credential_id: int, stale_access_token: str) -> ApiSession:
        """Single-flight refresh; returns the session to retry with."""
        with self._lock_for(credential_id):
            for _ in range(self.busy_retries + 1):
                credential = self.store.credential(credential_id)
                if credential.status in (
                    ConnectionStatus.NEEDS_REAUTH,
                    ConnectionStatus.DISCONNECTED,
                ):
                    raise CredentialUnavailable(credential)  # no storm of dead refreshes
                if credential.access_token and credential.access_token != stale_access_token:
                    return ApiSession(credential.instance_url, credential.access_token)
                try:
                    grant = self._new_grant(credential)
                except OAuthError as error:
                    rotated = self._rotated_elsewhere(credential)
                    if rotated is not None:
                        return rotated
                    if not error.is_busy:
                        self._refresh_failed(credential, error)
                        raise
                    self.sleep(self.busy_wait_seconds)
                    continue
                saved = self.store.save_tokens(
                    credential_id, grant.access_token, grant.refresh_token, grant.instance_url
                )
                return ApiSession(saved.instance_url, grant.access_token)
        raise OAuthError("temporarily_unavailable", "token request is still being processed")

    def _rotated_elsewhere(self, credential: Credential) -> ApiSession | None:
        """X-10 across processes: another worker may have refreshed (and, with rotation,
        retired the token this one used) meanwhile; its saved token is the answer."""
        current = self.store.credential(credential.credential_id)
        if current.token_version != credential.token_version and current.access_token:
            return ApiSession(current.instance_url, current.access_token)
        return None

    def _new_grant(self, credential: Credential) -> TokenGrant:
        if credential.auth_method is AuthMethod.JWT_BEARER:
            return self.gateway.jwt_bearer(credential.username)
        if credential.auth_method is AuthMethod.CLIENT_CREDENTIALS:
            return self.gateway.client_credentials(credential.instance_url)
        if not credential.refresh_token:
            raise OAuthError("invalid_grant", "no refresh token stored")
        return self.gateway.refresh(credential.refresh_token)

    def _refresh_failed(self, credential: Credential, error: OAuthError) -> None:
        """X-07; a team sync sharing this member's login needs reauth with it."""
        if not error.is_permanent:
            return
        reason = f"{error.error}: {error.description}"
        self.health.needs_reauth(credential, reason)
        team_sync = self.store.team_sync_credential(credential.team_id)
        if (
            team_sync is not None
            and credential.kind is CredentialKind.PERSONAL
            and team_sync.source_member_id == credential.member_id
        ):
            self.health.needs_reauth(team_sync, reason)

    def _quota_guard(
        self, credential_id: int, operation: Callable[[ApiSession], T], session: ApiSession
    ) -> T:
        try:
            return operation(session)
        except RequestLimitExceeded as error:
            credential = self.store.credential(credential_id)
            until = self.store.now() + QUOTA_PAUSE
            self.health.pause_for_quota(credential, until, error.message)
            raise

    def _lock_for(self, credential_id: int) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(credential_id, threading.Lock())
