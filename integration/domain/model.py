"""Value types shared by the rules: connection states, roles, object names, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ConnectionStatus(StrEnum):
    """Health of one Salesforce connection (X-29)."""

    CONNECTED = "connected"
    DEGRADED = "degraded"
    NEEDS_REAUTH = "needs_reauth"
    PAUSED_QUOTA = "paused_quota"
    DISCONNECTED = "disconnected"


class CredentialKind(StrEnum):
    """Team sync credential (TS) or a member's personal credential (PC)."""

    TEAM_SYNC = "team_sync"
    PERSONAL = "personal"


class AuthMethod(StrEnum):
    """How a credential obtains access tokens."""

    WEB_SERVER = "web_server"
    JWT_BEARER = "jwt_bearer"
    CLIENT_CREDENTIALS = "client_credentials"


class MemberRole(StrEnum):
    ADMIN = "admin"
    REP = "rep"


class SObject(StrEnum):
    """Salesforce objects the core writes or reads."""

    CONTACT = "Contact"
    LEAD = "Lead"
    ACCOUNT = "Account"
    TASK = "Task"
    EVENT = "Event"


PEOPLE_OBJECTS = frozenset({SObject.CONTACT, SObject.LEAD})
RECORD_OBJECTS = (SObject.ACCOUNT, SObject.CONTACT, SObject.LEAD)


class RecordKind(StrEnum):
    """What an app record is in the sales app: a person or a company."""

    PERSON = "person"
    COMPANY = "company"


class ActivityKind(StrEnum):
    EMAIL = "email"
    CALL = "call"
    TASK = "task"
    NOTE = "note"
    MEETING = "meeting"


class Direction(StrEnum):
    PUSH = "push"
    PULL = "pull"


@dataclass(frozen=True)
class PushSettings:
    """Which app changes write back (S-13, A-03, A-06). Updates of linked records always push."""

    create_people: bool = True
    create_accounts: bool = True
    people_as: SObject = SObject.CONTACT
    activity_kinds: frozenset[ActivityKind] = field(default_factory=lambda: frozenset(ActivityKind))


@dataclass(frozen=True)
class PullSettings:
    """Which Salesforce records flow into the app (S-12): objects and a SOQL filter per object."""

    objects: frozenset[SObject] = field(default_factory=lambda: frozenset(RECORD_OBJECTS))
    filters: dict[SObject, str] = field(default_factory=dict)


DEFAULT_FIELD_MAPPING: dict[SObject, dict[str, str]] = {
    SObject.CONTACT: {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "title": "Title",
        "phone": "Phone",
    },
    SObject.LEAD: {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "title": "Title",
        "phone": "Phone",
        "company": "Company",
    },
    SObject.ACCOUNT: {"name": "Name", "website": "Website", "phone": "Phone"},
}
"""App field name -> Salesforce field name, per object; a team may replace it."""
