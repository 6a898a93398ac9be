"""Schema metadata, value conversion and the mock clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_salesforce.schema import standard_schema
from mock_salesforce.schema.values import format_datetime, parse_datetime, to_storage
from mock_salesforce.store.clock import Clock


def test_schema_lookups_are_case_insensitive_and_canonical() -> None:
    schema = standard_schema()
    contact = schema.object("CONTACT")
    assert contact is not None and contact.name == "Contact"
    field = contact.field("lastname")
    assert field is not None and field.name == "LastName"
    owner = contact.relationship("owner")
    assert owner is not None and owner.name == "OwnerId" and owner.reference_to == ("User",)


def test_schema_knows_key_prefixes_and_child_relationships() -> None:
    schema = standard_schema()
    prefixes = {
        name: schema.object(name).key_prefix
        for name in (
            "Account",
            "Contact",
            "Lead",  # type: ignore[union-attr]
            "Task",
            "Event",
            "User",
        )
    }
    assert prefixes == {
        "Account": "001",
        "Contact": "003",
        "Lead": "00Q",
        "Task": "00T",
        "Event": "00U",
        "User": "005",
    }
    children = {c.relationship_name for c in schema.child_relationships("Account")}
    assert {"Contacts", "Opportunities", "Tasks", "Events"} <= children, children


@pytest.mark.parametrize(
    ("obj", "required"),
    [
        ("Contact", {"LastName"}),
        ("Lead", {"LastName", "Company"}),
        ("Account", {"Name"}),
        ("Opportunity", {"Name", "StageName", "CloseDate"}),
        ("Task", set()),
    ],
)
def test_required_on_create_follows_describe_recipe(obj: str, required: set[str]) -> None:
    definition = standard_schema().object(obj)
    assert definition is not None
    seen = {f.name for f in definition.fields if f.required_on_create}
    assert seen == required, seen


def test_polymorphic_who_and_what() -> None:
    task = standard_schema().object("Task")
    assert task is not None
    who, what = task.field("WhoId"), task.field("WhatId")
    assert who is not None and who.reference_to == ("Contact", "Lead") and who.is_polymorphic
    assert what is not None and "Account" in what.reference_to


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2024-05-20T20:49:32Z", "2024-05-20T20:49:32.000+0000"),
        ("2024-05-20T20:49:32.123+0000", "2024-05-20T20:49:32.000+0000"),
        ("2024-05-20T22:49:32+02:00", "2024-05-20T20:49:32.000+0000"),
        ("2024-05-20T20:49", "2024-05-20T20:49:00.000+0000"),
    ],
)
def test_datetimes_are_stored_in_salesforce_format_in_utc(text: str, stored: str) -> None:
    assert format_datetime(parse_datetime(text)) == stored


def test_wrong_types_are_refused() -> None:
    contact = standard_schema().object("Contact")
    assert contact is not None
    birthdate, opted_out = contact.field("Birthdate"), contact.field("HasOptedOutOfEmail")
    assert birthdate is not None and opted_out is not None
    with pytest.raises(ValueError, match="xsd:date"):
        to_storage(birthdate, "yesterday")
    with pytest.raises(ValueError, match="required type"):
        to_storage(opted_out, 3)
    assert to_storage(opted_out, True) == 1


def test_clock_freezes_advances_and_resumes() -> None:
    real = datetime(2030, 1, 1, tzinfo=UTC)
    clock = Clock(source=lambda: real)
    assert clock.now() == real
    clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    assert clock.now() == datetime(2024, 5, 1, 9, tzinfo=UTC)
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2024, 5, 1, 11, tzinfo=UTC)
    clock.resume()
    assert clock.now() == datetime(2024, 5, 1, 11, tzinfo=UTC), "resuming keeps the time"
    clock.reset()
    assert clock.now() == real


def test_clock_reports_changes_for_persistence() -> None:
    seen: list[object] = []
    clock = Clock(on_change=seen.append)
    clock.advance(timedelta(days=1))
    assert len(seen) == 1 and seen[0] == clock.state
