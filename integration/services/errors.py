"""Every error a use case raises, in one module: what an embedding app catches.

Salesforce's own refusals are `integration.salesforce.errors`; these are the core's.
"""

from __future__ import annotations

from integration.domain.ownership import NoUsableCredential
from integration.storage.rows import Credential

__all__ = [
    "CredentialUnavailable",
    "MemberNotConnected",
    "NoUsableCredential",
    "NotAllowed",
    "ParentNotSynced",
    "ProfileOwnerRefused",
    "SyncFailure",
    "TeamSyncMissing",
]


class SyncFailure(Exception):
    """A Salesforce refusal, with what the sync log needs: object and acting credential."""

    def __init__(self, cause: Exception, sobject: str, acting_credential_id: int | None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.sobject = sobject
        self.acting_credential_id = acting_credential_id


class NotAllowed(Exception):
    """Only admins manage the team sync credential."""


class MemberNotConnected(Exception):
    """S-04: a Salesforce account must be connected before it can be chosen as team sync."""


class CredentialUnavailable(Exception):
    """The credential cannot make calls now (needs reauth, disconnected or paused)."""

    def __init__(self, credential: Credential) -> None:
        super().__init__(f"credential {credential.credential_id} is {credential.status.value}")
        self.credential = credential


class TeamSyncMissing(Exception):
    """S-01: pulls run through team sync only."""


class ParentNotSynced(Exception):
    """The activity's person is not linked to Salesforce yet; the job waits for it (A-15)."""

    def __init__(self, person_app_id: str) -> None:
        super().__init__(f"parent record not synced: {person_app_id}")
        self.person_app_id = person_app_id


class ProfileOwnerRefused(ValueError):
    """The chosen profile owner cannot own records (unknown, inactive or frozen)."""
