"""The security evaluator: profiles, permission sets, FLS, user permissions, sharing."""

from __future__ import annotations

import pytest

from mock_salesforce import org_admin
from mock_salesforce.errors import ControlError
from mock_salesforce.schema import ObjectDef
from mock_salesforce.security import SecurityEvaluator
from mock_salesforce.store import OrgStore


def _obj(org: OrgStore, name: str) -> ObjectDef:
    obj = org.schema.object(name)
    assert obj is not None
    return obj


def _perms(org: OrgStore, username: str) -> object:
    return SecurityEvaluator(org).permissions(org_admin.find_user(org, username)["Id"])


@pytest.mark.parametrize(
    ("username", "read", "create", "edit", "view_all"),
    [
        ("admin@unit.test", True, True, True, True),
        ("rep@unit.test", True, True, True, False),
        ("viewer@unit.test", True, False, False, False),
        ("int@unit.test", False, False, False, False),
    ],
)
def test_standard_profiles_grant_expected_contact_access(
    org: OrgStore, username: str, read: bool, create: bool, edit: bool, view_all: bool
) -> None:
    access = (
        SecurityEvaluator(org)
        .permissions(org_admin.find_user(org, username)["Id"])
        .object_access(_obj(org, "Contact"))
    )
    seen = (access.read, access.create, access.edit, access.view_all)
    assert seen == (read, create, edit, view_all), f"{username}: {access}"


def test_permission_set_adds_to_profile_never_removes(org: OrgStore) -> None:
    evaluator = SecurityEvaluator(org)
    user = org_admin.find_user(org, "int@unit.test")["Id"]
    assert not evaluator.permissions(user).object_access(_obj(org, "Lead")).read
    ps = org_admin.create_permission_set(org, "Leads")
    org_admin.set_object_permissions(org, ps, "Lead", "Read, Edit")
    org_admin.assign_permission_set(org, user, ps)
    access = evaluator.permissions(user).object_access(_obj(org, "Lead"))
    assert (access.read, access.edit, access.create) == (True, True, False), access


def test_api_only_integration_profile_is_api_enabled_and_api_only(org: OrgStore) -> None:
    perms = SecurityEvaluator(org).permissions(org_admin.find_user(org, "int@unit.test")["Id"])
    assert perms.api_enabled and perms.api_only, perms.user_permissions


def test_field_level_security_hides_and_locks_fields(org: OrgStore) -> None:
    contact = _obj(org, "Contact")
    title, email = contact.field("Title"), contact.field("Email")
    assert title is not None and email is not None
    ps = org_admin.profile_permission_set(org, "Standard User")
    org_admin.set_field_permission(org, ps, "Contact", "Title", "read")
    org_admin.set_field_permission(org, ps, "Contact", "Email", "none")
    perms = SecurityEvaluator(org).permissions(org_admin.find_user(org, "rep@unit.test")["Id"])
    assert perms.field_access(contact, title) == (True, False)
    assert perms.field_access(contact, email) == (False, False)


def test_required_and_system_fields_ignore_field_security(org: OrgStore) -> None:
    contact = _obj(org, "Contact")
    perms = SecurityEvaluator(org).permissions(org_admin.find_user(org, "int@unit.test")["Id"])
    for name in ("Id", "LastName", "OwnerId", "CreatedById", "Name"):
        field = contact.field(name)
        assert field is not None
        assert perms.can_read_field(contact, field), name


def test_private_sharing_shows_only_owned_records_without_view_all(org: OrgStore) -> None:
    evaluator = SecurityEvaluator(org)
    contact = _obj(org, "Contact")
    rep = evaluator.permissions(org_admin.find_user(org, "rep@unit.test")["Id"])
    admin = evaluator.permissions(org_admin.find_user(org, "admin@unit.test")["Id"])
    other = org_admin.find_user(org, "viewer@unit.test")["Id"]
    assert evaluator.can_see(rep, contact, other), "public read/write is the default"
    org_admin.set_org_setting(org, "sharing:Contact", "Private")
    rep = evaluator.permissions(rep.user.user_id)
    assert not evaluator.can_see(rep, contact, other)
    assert evaluator.can_see(rep, contact, rep.user.user_id)
    assert evaluator.can_see(admin, contact, other), "View All sees everything"
    assert evaluator.visibility_sql(rep, contact, "t") == ('t."OwnerId" = ?', [rep.user.user_id])


def test_public_read_only_allows_reading_but_not_editing_others_records(org: OrgStore) -> None:
    evaluator = SecurityEvaluator(org)
    contact = _obj(org, "Contact")
    org_admin.set_org_setting(org, "sharing:Contact", "Read")
    rep = evaluator.permissions(org_admin.find_user(org, "rep@unit.test")["Id"])
    other = org_admin.find_user(org, "admin@unit.test")["Id"]
    assert evaluator.can_see(rep, contact, other)
    assert not evaluator.can_modify(rep, contact, other)
    assert evaluator.can_modify(rep, contact, rep.user.user_id)


def test_frozen_and_inactive_states_are_read_from_user_and_login(org: OrgStore) -> None:
    evaluator = SecurityEvaluator(org)
    user_id = org_admin.find_user(org, "rep@unit.test")["Id"]
    org_admin.set_user_state(org, user_id, active=False, frozen=True)
    state = evaluator.user_state(user_id)
    assert state is not None and (state.active, state.frozen) == (False, True), state


def test_setup_objects_need_view_setup(org: OrgStore) -> None:
    evaluator = SecurityEvaluator(org)
    object_perms = _obj(org, "ObjectPermissions")
    rep = evaluator.permissions(org_admin.find_user(org, "rep@unit.test")["Id"])
    admin = evaluator.permissions(org_admin.find_user(org, "admin@unit.test")["Id"])
    assert not rep.object_access(object_perms).read
    assert admin.object_access(object_perms).read
    assert rep.object_access(_obj(org, "User")).read


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Read, Create", ("Read", "Create")),
        (["edit"], ("Read", "Edit")),
        ("delete", ("Read", "Edit", "Delete")),
        ("ModifyAllRecords", ("Read", "Edit", "Delete", "ViewAllRecords", "ModifyAllRecords")),
        ("view_all", ("Read", "ViewAllRecords")),
        ("none", ()),
    ],
)
def test_object_permissions_parse_with_salesforce_dependencies(
    given: str | list[str], expected: tuple[str, ...]
) -> None:
    assert org_admin.parse_object_permissions(given) == expected


def test_unknown_object_permission_is_refused_with_the_known_names() -> None:
    with pytest.raises(ControlError, match="unknown object permission 'Fly'"):
        org_admin.parse_object_permissions("Read, Fly")
