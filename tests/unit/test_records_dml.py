"""The record model called directly (no HTTP): stamping, rollback, visibility."""

from __future__ import annotations

import pytest

from mock_salesforce import errors, org_admin
from mock_salesforce.pipeline import sessions
from mock_salesforce.records import collections, dml, reads
from mock_salesforce.records.context import Caller
from mock_salesforce.store import OrgStore


def caller_for(store: OrgStore, username: str) -> Caller:
    user_id = org_admin.find_user(store, username)["Id"]
    session = sessions.Session(store, user_id, None, "api", "test", sessions.security_for(store))
    return Caller(session)


def test_create_stamps_the_caller_and_the_clock(org: OrgStore) -> None:
    rep = caller_for(org, "rep@unit.test")
    record_id = dml.create(rep, "Contact", {"LastName": "Doe"})
    row = org.get_row(org.schema.object("Contact"), record_id)  # type: ignore[arg-type]
    assert row is not None
    assert row["OwnerId"] == row["CreatedById"] == row["LastModifiedById"] == rep.user_id, row
    assert row["CreatedDate"] == row["SystemModstamp"], row


def test_all_or_none_collection_leaves_no_row_behind(org: OrgStore) -> None:
    rep = caller_for(org, "rep@unit.test")
    results = collections.create_many(
        rep,
        {
            "allOrNone": True,
            "records": [
                {"attributes": {"type": "Account"}, "Name": "A"},
                {"attributes": {"type": "Account"}},
            ],
        },
    )
    assert [r["success"] for r in results] == [False, False], results
    assert org.find_rows(org.schema.object("Account"), include_deleted=True) == []  # type: ignore[arg-type]


def test_read_only_user_cannot_create(org: OrgStore) -> None:
    viewer = caller_for(org, "viewer@unit.test")
    with pytest.raises(errors.InsufficientAccessOrReadonly):
        dml.create(viewer, "Contact", {"LastName": "x"})


def test_private_record_is_not_found_for_another_user(org: OrgStore) -> None:
    org_admin.set_org_setting(org, "sharing:Contact", "Private")
    admin = caller_for(org, "admin@unit.test")
    record_id = dml.create(admin, "Contact", {"LastName": "Doe"})
    with pytest.raises(errors.NotFound):
        reads.retrieve(caller_for(org, "rep@unit.test"), "Contact", record_id)
    assert reads.retrieve(admin, "Contact", record_id).id == record_id


def test_evaluator_delete_needs_ownership_or_modify_all(org: OrgStore) -> None:
    contact = org.schema.object("Contact")
    assert contact is not None
    rep, admin = caller_for(org, "rep@unit.test"), caller_for(org, "admin@unit.test")
    evaluator = rep.security
    assert evaluator.can_delete(rep.perms, contact, rep.user_id)
    assert not evaluator.can_delete(rep.perms, contact, admin.user_id)
    assert evaluator.can_delete(admin.perms, contact, rep.user_id)


def test_evaluator_transfer_needs_ownership_or_transfer_rights(org: OrgStore) -> None:
    lead = org.schema.object("Lead")
    assert lead is not None
    rep, admin = caller_for(org, "rep@unit.test"), caller_for(org, "admin@unit.test")
    assert rep.security.can_transfer(rep.perms, lead, rep.user_id)
    assert not rep.security.can_transfer(rep.perms, lead, admin.user_id)
    assert admin.security.can_transfer(admin.perms, lead, rep.user_id)
