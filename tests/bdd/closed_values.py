"""The closed sets of values some steps accept, taken from the core so they cannot drift.

docs/steps.md prints them under the steps whose parameter they fill; a test checks that every
code the core writes to the sync log and every preflight line it can report is listed here.
"""

from __future__ import annotations

from datetime import timedelta

from integration.domain.model import ConnectionStatus
from integration.services.connections import QUOTA_PAUSE
from integration.services.worker import BACKOFF, CREDENTIAL_UNAVAILABLE, MAX_ATTEMPTS

CONNECTION_STATES = tuple(status.value for status in ConnectionStatus)

CORE_LOG_CODES = {
    "FIELD_SKIPPED": "a mapped field the acting user cannot edit was left out (X-18)",
    "OWNER_FALLBACK": "the chosen owner cannot own records; the next in S-06 order owns it (X-01)",
    "ACCOUNT_CANDIDATES": "a company matched several accounts; the oldest was linked (A-05)",
    "ACCOUNT_NOT_CREATED": "new accounts are off: the contact went without AccountId (S-13)",
    "FIELD_NOT_READABLE": "a mapped field team sync cannot read was left out of the pull (S-02)",
    CREDENTIAL_UNAVAILABLE: "the work waits for a usable connection (X-28)",
}
"""Codes the core writes itself; any other code in the sync log is Salesforce's errorCode."""

SALESFORCE_CODES = (
    "UNABLE_TO_LOCK_ROW",
    "REQUEST_LIMIT_EXCEEDED",
    "INSUFFICIENT_ACCESS_OR_READONLY",
    "INVALID_FIELD",
    "INVALID_FIELD_FOR_INSERT_UPDATE",
    "INACTIVE_OWNER_OR_USER",
    "SERVER_UNAVAILABLE",
    "INVALID_SESSION_ID",
    "invalid_grant",
    "invalid_client",
)
"""Salesforce errorCodes (and OAuth errors) a scenario can provoke with the fault steps."""

PREFLIGHT_LINES = (
    "<Object>: no read permission",
    "<Object>: no create permission",
    "<Object>: no edit permission",
    "<Object>.<Field>: no read permission",
    "<Object>.<Field>: no edit permission",
    "<Object>.App_Id__c: external id field missing",
    "<Object>: no View All permission (pull limited by sharing)",
    "User: API Enabled permission missing",
    "User: <errorCode>: <message>",
    "User: cannot read UserLogin: frozen owners cannot be detected",
)
"""Objects are Account, Contact, Lead, Task and Event; fields are the mapped ones."""


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} min" if seconds >= 60 and seconds % 60 == 0 else f"{seconds} s"


def retry_timings() -> str:
    """The worker's back-off, as QA reads it."""
    waits = ", ".join(_duration(d) for d in BACKOFF)
    return (
        f"A retryable failure is tried {MAX_ATTEMPTS} times in all, waiting {waits} after "
        f"the first, second, third and fourth; REQUEST_LIMIT_EXCEEDED pauses the connection for "
        f"{_duration(QUOTA_PAUSE)}"
    )


SECTIONS = {
    "status": ("Connection states", "connection-states"),
    "events": ("Connection states", "connection-states"),
    "error_code": ("Sync-log codes and Salesforce errors", "sync-log-codes-and-salesforce-errors"),
    "line": ("Preflight lines", "preflight-lines"),
}


def values_for(parameter: str) -> str:
    """A pointer to the closed set a step parameter takes, or "" when the set is open."""
    if parameter not in SECTIONS:
        return ""
    title, anchor = SECTIONS[parameter]
    return f"see [{title.lower()}](#{anchor})"


def render_sections() -> str:
    """The closed sets, once, for the top of docs/steps.md."""
    core = "\n".join(f"- `{code}`: {why}" for code, why in CORE_LOG_CODES.items())
    salesforce = ", ".join(f"`{code}`" for code in SALESFORCE_CODES)
    states = ", ".join(f"`{state}`" for state in CONNECTION_STATES)
    lines = "\n".join(f"- `{line}`" for line in PREFLIGHT_LINES)
    return f"""
## Closed sets of values

### Connection states

{states} (X-29). A list of events is written `"connected", "degraded"`.

### Sync-log codes and Salesforce errors

Codes the core writes itself:

{core}

Any other code in the sync log is the errorCode Salesforce answered (the fault steps can
provoke them), for example {salesforce}.

### Preflight lines

Objects are Account, Contact, Lead, Task and Event; fields are the mapped ones.

{lines}

### Retry timings

{retry_timings()}.
"""
