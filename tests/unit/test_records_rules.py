"""Record rules that need no HTTP: activity times, composite references, JSON error words."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_salesforce import errors
from mock_salesforce.records import composite
from mock_salesforce.records.activities import apply_activity_rules
from mock_salesforce.rest.http import jackson_message
from mock_salesforce.schema import standard_schema

EVENT = standard_schema().object("Event")
TASK = standard_schema().object("Task")


def event_row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"IsAllDayEvent": False}
    row.update(fields)
    return row


def test_event_rules_compute_the_end_from_start_and_duration() -> None:
    assert EVENT is not None
    row = event_row(StartDateTime="2024-05-01T23:30:00.000+0000", DurationInMinutes=60)
    apply_activity_rules(EVENT, row, {"StartDateTime", "DurationInMinutes"}, creating=True)
    assert row["EndDateTime"] == "2024-05-02T00:30:00.000+0000", row
    assert (row["ActivityDate"], row["EndDate"]) == ("2024-05-01", "2024-05-02"), row


def test_event_rules_refuse_a_duration_that_disagrees_with_the_end() -> None:
    assert EVENT is not None
    row = event_row(
        StartDateTime="2024-05-01T10:00:00.000+0000",
        EndDateTime="2024-05-01T11:00:00.000+0000",
        DurationInMinutes=30,
    )
    with pytest.raises(errors.FieldIntegrityException, match="DurationInMinutes"):
        apply_activity_rules(EVENT, row, set(row), creating=True)


def test_activity_rules_refuse_a_lead_related_to_a_record() -> None:
    assert TASK is not None
    row = {"WhoId": "00Q000000000001AAA", "WhatId": "001000000000001AAA"}
    with pytest.raises(errors.FieldIntegrityException, match="lead"):
        apply_activity_rules(TASK, row, set(row), creating=True)


def test_composite_resolve_replaces_whole_values_and_embedded_ones() -> None:
    outcomes = {"A": {"id": "001A", "records": [{"Id": "003B"}]}, "N": {"count": 3}}
    resolved = composite.resolve(
        {"AccountId": "@{A.id}", "Note": "see @{A.records[0].Id}", "Count": "@{N.count}"},
        outcomes,
    )
    assert resolved == {"AccountId": "001A", "Note": "see 003B", "Count": 3}, resolved


def test_composite_resolve_reports_a_missing_value() -> None:
    with pytest.raises(Exception, match=r"No value for A\.name found in A"):
        composite.resolve("@{A.name}", {"A": {"id": "x"}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,', "Unexpected end-of-input"),
        ("{a: 1}", "Unexpected character ('a' (code 97)): was expecting double-quote"),
        ('{"a" 1}', "was expecting a colon"),
    ],
)
def test_jackson_message_describes_malformed_json(text: str, expected: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    message = jackson_message(text, caught.value)
    assert message.startswith(expected) or expected in message, message
    assert "[line:1, column:" in message, message
