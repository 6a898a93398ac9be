"""Pure rules added for issue 11: create-only activity fields, lost permissions, login hosts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from integration.domain.activities import ActivityFacts, activity_write, update_fields
from integration.domain.health import means_lost_permission
from integration.domain.model import ActivityKind, SObject
from integration.salesforce.oauth import is_generic_login_host


def test_an_activity_update_leaves_out_the_create_only_subtype() -> None:
    facts = ActivityFacts(ActivityKind.CALL, "Intro", "", datetime(2024, 5, 1, tzinfo=UTC))
    write = activity_write(facts, "003A", SObject.CONTACT, None, "005A")
    assert write.fields["TaskSubtype"] == "Call", write.fields
    fields = update_fields(write)
    assert "TaskSubtype" not in fields, f"X-27: TaskSubtype is create-only, sent {fields}"
    assert fields["Subject"] == "Intro" and fields["OwnerId"] == "005A", fields


@pytest.mark.parametrize(
    ("code", "lost"),
    [
        ("API_DISABLED_FOR_ORG", True),
        ("INSUFFICIENT_ACCESS_OR_READONLY", True),
        ("INVALID_TYPE", True),
        ("INVALID_FIELD", True),
        ("UNABLE_TO_LOCK_ROW", False),
        ("REQUEST_LIMIT_EXCEEDED", False),
        (None, False),
    ],
)
def test_refusals_that_mean_a_lost_permission(code: str | None, lost: bool) -> None:
    assert means_lost_permission(code) is lost, f"S-02: {code} lost permission? want {lost}"


@pytest.mark.parametrize(
    ("url", "generic"),
    [
        ("https://login.salesforce.com", True),
        ("https://test.salesforce.com/", True),
        ("https://acme.my.salesforce.com", False),
        ("http://127.0.0.1:8765", False),
    ],
)
def test_generic_login_hosts_are_never_an_orgs_own_host(url: str, generic: bool) -> None:
    assert is_generic_login_host(url) is generic, f"{url}: generic login host? want {generic}"
