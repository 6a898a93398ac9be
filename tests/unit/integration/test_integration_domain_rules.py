"""Pure rules: push settings, FLS, accounts, activities, pull, errors, health, preflight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from integration.domain.activities import ActivityFacts, activity_write
from integration.domain.health import ErrorClass, classify, is_busy_refresh, transition
from integration.domain.model import (
    ActivityKind,
    ConnectionStatus,
    PullSettings,
    PushSettings,
    RecordKind,
    SObject,
)
from integration.domain.preflight import FieldAccess, ObjectAccess, object_gaps, view_all_gaps
from integration.domain.pull_rules import (
    leads_without_contacts,
    member_index,
    owner_member,
    pull_filter,
    pull_order,
)
from integration.domain.push_rules import (
    AccountCandidate,
    choose_account,
    may_create,
    target_sobject,
    writable_fields,
)

WHEN = datetime(2024, 5, 20, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "linked_as", "preferred", "people_as", "expected"),
    [
        (RecordKind.COMPANY, None, None, SObject.LEAD, SObject.ACCOUNT),
        (RecordKind.PERSON, None, None, SObject.LEAD, SObject.LEAD),
        (RecordKind.PERSON, None, None, SObject.CONTACT, SObject.CONTACT),
        (RecordKind.PERSON, "Contact", None, SObject.LEAD, SObject.CONTACT),
        (RecordKind.PERSON, None, "Lead", SObject.CONTACT, SObject.LEAD),
    ],
)
def test_target_sobject_follows_link_then_preference_then_settings(
    kind: RecordKind,
    linked_as: str | None,
    preferred: str | None,
    people_as: SObject,
    expected: SObject,
) -> None:
    settings = PushSettings(people_as=people_as)
    assert target_sobject(kind, linked_as, preferred, settings) is expected


def test_may_create_obeys_push_settings_per_object() -> None:
    settings = PushSettings(create_people=False, create_accounts=True)
    assert not may_create(SObject.CONTACT, settings)
    assert not may_create(SObject.LEAD, settings)
    assert may_create(SObject.ACCOUNT, settings)


def test_writable_fields_reports_what_acting_user_cannot_edit() -> None:
    kept, skipped = writable_fields(
        "Contact", {"LastName": "Doe", "Title": "CTO"}, frozenset({"LastName"})
    )
    assert kept == {"LastName": "Doe"}, f"kept {kept}"
    assert [str(s) for s in skipped] == ["Contact.Title skipped: no edit permission"]


def test_choose_account_picks_oldest_then_lowest_id() -> None:
    chosen, others = choose_account(
        [
            AccountCandidate("001B", "2022-01-01T00:00:00.000+0000"),
            AccountCandidate("001C", "2020-01-01T00:00:00.000+0000"),
            AccountCandidate("001A", "2020-01-01T00:00:00.000+0000"),
        ]
    )
    assert chosen is not None and chosen.account_id == "001A", f"chose {chosen}"
    assert [o.account_id for o in others] == ["001C", "001B"]


def test_choose_account_returns_none_without_candidates() -> None:
    assert choose_account([]) == (None, ())


@pytest.mark.parametrize(
    ("kind", "sobject", "subtype", "status"),
    [
        (ActivityKind.EMAIL, SObject.TASK, "Email", "Completed"),
        (ActivityKind.CALL, SObject.TASK, "Call", "Completed"),
        (ActivityKind.TASK, SObject.TASK, "Task", "Not Started"),
        (ActivityKind.NOTE, SObject.TASK, "Task", "Completed"),
        (ActivityKind.MEETING, SObject.EVENT, None, None),
    ],
)
def test_activity_write_maps_kind_to_task_or_event(
    kind: ActivityKind, sobject: SObject, subtype: str | None, status: str | None
) -> None:
    write = activity_write(
        ActivityFacts(kind, "Hello", "body", WHEN), "003C", SObject.CONTACT, "001A", "005A"
    )
    assert write.sobject is sobject
    assert write.fields.get("TaskSubtype") == subtype, f"fields {write.fields}"
    assert write.fields.get("Status") == status
    assert (write.fields["WhoId"], write.fields["WhatId"], write.fields["OwnerId"]) == (
        "003C",
        "001A",
        "005A",
    )


def test_activity_write_email_subject_and_meeting_times() -> None:
    email = activity_write(
        ActivityFacts(ActivityKind.EMAIL, "Intro", "", WHEN), "003C", SObject.CONTACT, None, "005A"
    )
    meeting = activity_write(
        ActivityFacts(ActivityKind.MEETING, "Demo", "", WHEN, 45),
        "003C",
        SObject.CONTACT,
        None,
        "005A",
    )
    assert email.fields["Subject"] == "Email: Intro"
    assert email.fields["ActivityDate"] == "2024-05-20"
    assert meeting.fields["StartDateTime"] == "2024-05-20T14:30:00.000+0000"
    assert meeting.fields["EndDateTime"] == "2024-05-20T15:15:00.000+0000"


def test_activity_write_leaves_what_id_out_for_a_lead() -> None:
    write = activity_write(
        ActivityFacts(ActivityKind.CALL, "Call", "", WHEN), "00QL", SObject.LEAD, "001A", "005A"
    )
    assert "WhatId" not in write.fields, f"fields {write.fields}"


def test_owner_member_maps_by_user_id_only_and_ignores_18_char_suffix() -> None:
    index = member_index([("005000000000001AAA", 7)])
    assert owner_member("005000000000001", index) == 7
    assert owner_member("005000000000001AAA", index) == 7
    assert owner_member("005000000000009AAA", index) is None
    assert owner_member(None, index) is None


def test_leads_without_contacts_drops_leads_sharing_a_contact_email() -> None:
    kept, dropped = leads_without_contacts(
        [{"Id": "00Q1", "Email": "J@X.com"}, {"Id": "00Q2", "Email": "k@x.com"}], ["j@x.com"]
    )
    assert [r["Id"] for r in kept] == ["00Q2"]
    assert [r["Id"] for r in dropped] == ["00Q1"]


def test_pull_order_and_filter_follow_pull_settings() -> None:
    settings = PullSettings(
        objects=frozenset({SObject.LEAD, SObject.CONTACT}),
        filters={SObject.LEAD: " LeadSource = 'Web' "},
    )
    assert pull_order(settings) == [SObject.CONTACT, SObject.LEAD]
    assert pull_filter(settings, SObject.LEAD) == "LeadSource = 'Web'"
    assert pull_filter(settings, SObject.CONTACT) is None


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("UNABLE_TO_LOCK_ROW", 400, ErrorClass.RETRYABLE),
        ("SERVER_UNAVAILABLE", 503, ErrorClass.RETRYABLE),
        ("UNKNOWN_EXCEPTION", 500, ErrorClass.RETRYABLE),
        ("TIMEOUT", None, ErrorClass.RETRYABLE),
        ("REQUEST_LIMIT_EXCEEDED", 403, ErrorClass.QUOTA),
        ("INVALID_SESSION_ID", 401, ErrorClass.SESSION_EXPIRED),
        ("invalid_grant", 400, ErrorClass.AUTH_PERMANENT),
        ("invalid_client", 400, ErrorClass.AUTH_PERMANENT),
        ("FIELD_CUSTOM_VALIDATION_EXCEPTION", 400, ErrorClass.PERMANENT),
        ("INVALID_FIELD_FOR_INSERT_UPDATE", 400, ErrorClass.PERMANENT),
    ],
)
def test_classify_sorts_salesforce_errors(
    code: str, status: int | None, expected: ErrorClass
) -> None:
    assert classify(code, status) is expected


def test_is_busy_refresh_recognises_concurrent_refresh_message() -> None:
    assert is_busy_refresh("Token request is already being processed")
    assert not is_busy_refresh("expired access/refresh token")


def test_transition_names_recovery_and_ignores_no_change() -> None:
    recovered = transition(ConnectionStatus.NEEDS_REAUTH, ConnectionStatus.CONNECTED, "back")
    assert recovered is not None and recovered.event_name == "connection.recovered"
    assert transition(ConnectionStatus.CONNECTED, ConnectionStatus.CONNECTED, "same") is None


def test_object_gaps_lists_object_field_and_external_id_gaps() -> None:
    access = ObjectAccess(
        "Contact",
        True,
        True,
        False,
        {
            "LastName": FieldAccess("LastName", True, True, False),
            "Title": FieldAccess("Title", False, False, False),
        },
    )
    gaps = [str(g) for g in object_gaps(access, ["LastName", "Title", "Phone"], "App_Id__c")]
    assert gaps == [
        "Contact: no edit permission",
        "Contact.Title: no edit permission",
        "Contact.Phone: no read permission",
        "Contact.App_Id__c: external id field missing",
    ], f"gaps {gaps}"


def test_view_all_gaps_skip_when_view_all_data() -> None:
    pulled = [SObject.CONTACT, SObject.LEAD]
    assert view_all_gaps(pulled, {"Contact": True}, view_all_data=True) == []
    gaps = [str(g) for g in view_all_gaps(pulled, {"Contact": True}, view_all_data=False)]
    assert gaps == ["Lead: no View All permission (pull limited by sharing)"]
