"""Activity mapping (A-16): email, call, task, note -> Task; meeting -> Event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from integration.domain.model import ActivityKind, SObject


@dataclass(frozen=True)
class ActivityFacts:
    kind: ActivityKind
    subject: str
    body: str
    occurred_at: datetime
    duration_minutes: int = 30


@dataclass(frozen=True)
class ActivityWrite:
    sobject: SObject
    fields: dict[str, object]


_TASK_SUBTYPE = {
    ActivityKind.EMAIL: "Email",
    ActivityKind.CALL: "Call",
    ActivityKind.TASK: "Task",
    ActivityKind.NOTE: "Task",
}


CREATE_ONLY_FIELDS: dict[SObject, frozenset[str]] = {
    SObject.TASK: frozenset({"TaskSubtype"}),
    SObject.EVENT: frozenset({"EventSubtype"}),
}
"""Fields Salesforce accepts on create only (INVALID_FIELD_FOR_INSERT_UPDATE on update)."""


def update_fields(write: ActivityWrite) -> dict[str, object]:
    """The write as an update of a record that already exists: create-only fields left out."""
    dropped = CREATE_ONLY_FIELDS.get(write.sobject, frozenset())
    return {name: value for name, value in write.fields.items() if name not in dropped}


def salesforce_datetime(moment: datetime) -> str:
    """Salesforce's datetime shape: UTC, milliseconds, `+0000`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def activity_write(
    facts: ActivityFacts, who_id: str, who_sobject: SObject, what_id: str | None, owner_id: str
) -> ActivityWrite:
    """Build the Task or Event for an activity; a Lead WhoId carries no WhatId."""
    links: dict[str, object] = {"WhoId": who_id, "OwnerId": owner_id}
    if what_id is not None and who_sobject is not SObject.LEAD:
        links["WhatId"] = what_id
    if facts.kind is ActivityKind.MEETING:
        return ActivityWrite(SObject.EVENT, {**links, **_event_fields(facts)})
    return ActivityWrite(SObject.TASK, {**links, **_task_fields(facts)})


def _task_fields(facts: ActivityFacts) -> dict[str, object]:
    subject = f"Email: {facts.subject}" if facts.kind is ActivityKind.EMAIL else facts.subject
    status = "Not Started" if facts.kind is ActivityKind.TASK else "Completed"
    return {
        "Subject": subject,
        "Description": facts.body,
        "TaskSubtype": _TASK_SUBTYPE[facts.kind],
        "Status": status,
        "ActivityDate": facts.occurred_at.date().isoformat(),
    }


def _event_fields(facts: ActivityFacts) -> dict[str, object]:
    end = facts.occurred_at + timedelta(minutes=facts.duration_minutes)
    return {
        "Subject": facts.subject,
        "Description": facts.body,
        "StartDateTime": salesforce_datetime(facts.occurred_at),
        "EndDateTime": salesforce_datetime(end),
    }
