"""Error classes and connection health (X-06, X-07, X-16, X-21, X-29)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from integration.domain.model import ConnectionStatus


class ErrorClass(StrEnum):
    RETRYABLE = "retryable"
    QUOTA = "quota"
    SESSION_EXPIRED = "session_expired"
    AUTH_PERMANENT = "auth_permanent"
    PERMANENT = "permanent"


RETRYABLE_CODES = frozenset({"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "TIMEOUT"})
PERMANENT_OAUTH_ERRORS = frozenset({"invalid_grant", "invalid_client", "invalid_client_id"})
LOST_PERMISSION_CODES = frozenset(
    {
        "API_DISABLED_FOR_ORG",
        "API_CURRENTLY_DISABLED",
        "INSUFFICIENT_ACCESS_OR_READONLY",
        "INVALID_TYPE",
        "INVALID_FIELD",
    }
)
"""Runtime refusals that mean the acting user lost a permission (S-02, S-04): degraded at once."""
BUSY_REFRESH_DESCRIPTION = "token request is already being processed"


def classify(error_code: str | None, http_status: int | None) -> ErrorClass:
    """Sort a Salesforce answer: retry it, pause for quota, refresh, reauthorise, or log it."""
    if error_code == "REQUEST_LIMIT_EXCEEDED":
        return ErrorClass.QUOTA
    if error_code == "INVALID_SESSION_ID":
        return ErrorClass.SESSION_EXPIRED
    if error_code in PERMANENT_OAUTH_ERRORS:
        return ErrorClass.AUTH_PERMANENT
    if error_code in RETRYABLE_CODES or (http_status is not None and http_status >= 500):
        return ErrorClass.RETRYABLE
    return ErrorClass.PERMANENT


def means_lost_permission(error_code: str | None) -> bool:
    """API access, object or field access taken away since the last preflight."""
    return error_code in LOST_PERMISSION_CODES


def is_busy_refresh(description: str | None) -> bool:
    """X-11: a concurrent-refresh rejection is temporary, not a reason to reauthorise."""
    return description is not None and BUSY_REFRESH_DESCRIPTION in description.lower()


@dataclass(frozen=True)
class HealthTransition:
    before: ConnectionStatus | None
    after: ConnectionStatus
    reason: str

    @property
    def event_name(self) -> str:
        """`connection.recovered` when a connection comes back, else `connection.<state>`."""
        if self.after is ConnectionStatus.CONNECTED and self.before not in (
            None,
            ConnectionStatus.CONNECTED,
        ):
            return "connection.recovered"
        return f"connection.{self.after.value}"


def transition(
    before: ConnectionStatus | None, after: ConnectionStatus, reason: str
) -> HealthTransition | None:
    """A change worth recording, or None when the state stays the same."""
    if before is after:
        return None
    return HealthTransition(before, after, reason)


def status_after_quota(previous: ConnectionStatus) -> ConnectionStatus:
    """A paused connection resumes in the state it had before (degraded stays degraded)."""
    if previous is ConnectionStatus.PAUSED_QUOTA:
        return ConnectionStatus.CONNECTED
    return previous
