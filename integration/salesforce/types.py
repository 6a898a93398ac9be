"""Plain values the adapter returns; no JSON shapes leak past this module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from integration.domain.preflight import ObjectAccess
from integration.salesforce.errors import SalesforceError

Record = dict[str, Any]


@dataclass(frozen=True)
class TokenGrant:
    """A token endpoint answer. Salesforce sends no `expires_in` (X-06)."""

    access_token: str
    instance_url: str
    identity_url: str
    refresh_token: str | None = None
    issued_at: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class ApiSession:
    """What a REST call needs: the connection's own host (X-13) and its bearer token."""

    instance_url: str
    access_token: str


@dataclass(frozen=True)
class Identity:
    """The identity URL's answer: who the token belongs to."""

    org_id: str
    user_id: str
    username: str
    display_name: str = ""
    user_type: str = ""
    active: bool = True


@dataclass(frozen=True)
class SalesforceUser:
    user_id: str
    username: str
    is_active: bool
    name: str = ""
    is_frozen: bool = False

    @property
    def can_own(self) -> bool:
        """X-01: only an active, unfrozen user is a safe owner."""
        return self.is_active and not self.is_frozen


@dataclass(frozen=True)
class UpsertResult:
    record_id: str
    created: bool


@dataclass(frozen=True)
class ApiUsage:
    """Parsed `Sforce-Limit-Info: api-usage=used/max`."""

    used: int
    limit: int


@dataclass(frozen=True)
class UserPermissions:
    """User-level permissions read from PermissionSet / ObjectPermissions."""

    api_enabled: bool
    view_all_data: bool
    view_all_records: dict[str, bool] = field(default_factory=dict)
    api_only: bool = False
    profile_name: str = ""


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    code_verifier: str


@dataclass(frozen=True)
class PreflightReads:
    """What the team sync preflight reads as the TS user: each object's describe or the error
    Salesforce refused it with, UserLogin's refusal if any (X-01), and the user's permissions
    (None: unreadable)."""

    objects: Mapping[str, ObjectAccess | SalesforceError]
    user_logins_refused: SalesforceError | None
    permissions: UserPermissions | None

    def access(self, sobject: str) -> ObjectAccess:
        """The object's describe; raises the error Salesforce answered it with."""
        answer = self.objects[sobject]
        if isinstance(answer, SalesforceError):
            raise answer
        return answer


__all__ = [
    "ApiSession",
    "ApiUsage",
    "AuthorizationRequest",
    "Identity",
    "ObjectAccess",
    "PreflightReads",
    "Record",
    "SalesforceUser",
    "TokenGrant",
    "UpsertResult",
    "UserPermissions",
]
