"""Task and Event rules beyond plain fields (Object Reference, "Task" and "Event").

- A Lead in ``WhoId`` cannot be related to another record: ``WhatId`` must then be empty.
- An Event that is not all-day needs a start (``ActivityDateTime``/``StartDateTime``) and a
  ``DurationInMinutes`` or an ``EndDateTime``; the other one is computed. An all-day Event needs
  an ``ActivityDate`` and lasts a day unless told otherwise. Missing pieces are
  REQUIRED_FIELD_MISSING naming the field.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from .. import errors
from ..schema import ObjectDef
from ..schema.values import format_datetime, parse_datetime

ALL_DAY_MINUTES = 1440


def apply_activity_rules(
    obj: ObjectDef, row: MutableMapping[str, Any], changed: set[str], creating: bool
) -> None:
    """Check and complete a Task or Event row (the merged row after the write) in place."""
    if obj.name not in ("Task", "Event"):
        return
    who, what = row.get("WhoId"), row.get("WhatId")
    if who and str(who).startswith("00Q") and what:
        raise errors.FieldIntegrityException(
            "Related To ID: a task or event whose Name is a lead cannot be related to another "
            "record",
            ["WhatId"],
        )
    if obj.name == "Event":
        _event_times(row, changed, creating)


def _required(name: str) -> errors.SalesforceError:
    return errors.RequiredFieldMissing(f"Required fields are missing: [{name}]", [name])


def _event_times(row: MutableMapping[str, Any], changed: set[str], creating: bool) -> None:
    if "StartDateTime" in changed and "ActivityDateTime" not in changed:
        row["ActivityDateTime"] = row.get("StartDateTime")
    row["StartDateTime"] = row.get("ActivityDateTime")
    if row.get("IsAllDayEvent"):
        _all_day(row)
        return
    if not row.get("StartDateTime"):
        raise _required("ActivityDateTime")
    start = parse_datetime(row["StartDateTime"])
    end = _end(row, start, changed, creating)
    if end < start:
        raise errors.FieldIntegrityException(
            "End Date Time: an event cannot end before it starts", ["EndDateTime"]
        )
    row["EndDateTime"] = format_datetime(end)
    row["DurationInMinutes"] = int((end - start).total_seconds() // 60)
    row["ActivityDate"] = start.date().isoformat()
    row["EndDate"] = end.date().isoformat()


def _end(
    row: MutableMapping[str, Any], start: datetime, changed: set[str], creating: bool
) -> datetime:
    duration, end = row.get("DurationInMinutes"), row.get("EndDateTime")
    if duration is None and end is None:
        raise _required("DurationInMinutes")
    sent_end = "EndDateTime" in changed or (creating and end is not None)
    sent_duration = "DurationInMinutes" in changed or (creating and duration is not None)
    both = sent_end and sent_duration and end is not None and duration is not None
    if both and parse_datetime(str(end)) != start + timedelta(minutes=int(duration or 0)):
        raise errors.FieldIntegrityException(
            "Duration: DurationInMinutes does not match StartDateTime and EndDateTime",
            ["DurationInMinutes"],
        )
    if end is not None and (sent_end or duration is None):
        return parse_datetime(end)
    return start + timedelta(minutes=int(duration or 0))


def _all_day(row: MutableMapping[str, Any]) -> None:
    day = row.get("ActivityDate")
    if not day and row.get("StartDateTime"):
        day = parse_datetime(row["StartDateTime"]).date().isoformat()
    if not day:
        raise _required("ActivityDate")
    row["ActivityDate"] = day
    minutes = int(row.get("DurationInMinutes") or ALL_DAY_MINUTES)
    start = parse_datetime(f"{day}T00:00:00Z")
    row["DurationInMinutes"] = minutes
    row["ActivityDateTime"] = row["StartDateTime"] = format_datetime(start)
    row["EndDateTime"] = format_datetime(start + timedelta(minutes=minutes))
    row["EndDate"] = (start + timedelta(minutes=minutes - 1)).date().isoformat()
