"""The integration core's Salesforce adapter against the real mock over HTTP.

Every call the core makes (see docs/integration.md) is made here with the production adapter,
and every answer it must understand is provoked for real: created/updated/several matches on
upsert, paging, the limit header, and each error class.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from integration.salesforce.errors import (
    InvalidSession,
    MultipleMatches,
    OAuthError,
    PermissionDenied,
    RecordError,
    RequestLimitExceeded,
    Retryable,
)
from integration.salesforce.gateway import HttpSalesforceGateway
from integration.salesforce.oauth import OAuthSettings
from integration.salesforce.types import ApiSession
from mock_salesforce.pytest_plugin import OrgHandle
from tests.bdd.drivers.browser import Browser


@pytest.fixture
def gateway(sf_org: OrgHandle) -> Iterator[HttpSalesforceGateway]:
    http = requests.Session()
    settings = OAuthSettings(
        login_host=sf_org.base_url,
        client_id=sf_org.app["client_id"],
        client_secret=sf_org.app["client_secret"],
        redirect_uri="http://localhost:8080/callback",
    )
    yield HttpSalesforceGateway(settings, http)
    http.close()


@pytest.fixture
def admin(gateway: HttpSalesforceGateway) -> ApiSession:
    grant = gateway.client_credentials()
    return ApiSession(grant.instance_url, grant.access_token)


@pytest.fixture
def external_id(sf_org: OrgHandle) -> str:
    sf_org.control.add_field("Contact", "App_Id__c", external_id=True)
    return "App_Id__c"


def test_client_credentials_grant_and_identity_name_the_run_as_user(
    gateway: HttpSalesforceGateway, sf_org: OrgHandle
) -> None:
    grant = gateway.client_credentials()
    assert grant.refresh_token is None, "client credentials never return a refresh token"
    assert grant.instance_url == sf_org.base_url
    identity = gateway.identity(grant)
    assert (identity.org_id, identity.user_id, identity.username) == (
        sf_org.id,
        sf_org.users["admin@test.org"],
        "admin@test.org",
    )


def test_upsert_answers_created_then_updated_then_several(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle, external_id: str
) -> None:
    first = gateway.upsert(admin, "Contact", external_id, "app-1", {"LastName": "Doe"})
    again = gateway.upsert(admin, "Contact", external_id, "app-1", {"LastName": "Roe"})
    assert (first.created, again.created) == (True, False), (first, again)
    assert first.record_id == again.record_id
    assert gateway.get(admin, "Contact", first.record_id, ["LastName"])["LastName"] == "Roe"
    sf_org.control.seed_records("Contact", [{"LastName": "Twin", external_id: "app-2"}] * 2)
    with pytest.raises(MultipleMatches) as several:
        gateway.upsert(admin, "Contact", external_id, "app-2", {"LastName": "X"})
    assert len(several.value.urls) == 2, several.value.urls


def test_create_update_and_auto_assign_header_keep_an_explicit_owner(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    sf_org.control.settings(lead_assignment_owner="admin@test.org")
    owner = sf_org.users["user@test.org"]
    kept = gateway.create(
        admin, "Lead", {"LastName": "A", "Company": "C", "OwnerId": owner}, auto_assign=False
    )
    routed = gateway.create(admin, "Lead", {"LastName": "B", "Company": "C", "OwnerId": owner})
    assert gateway.get(admin, "Lead", kept)["OwnerId"] == owner
    assert gateway.get(admin, "Lead", routed)["OwnerId"] == sf_org.users["admin@test.org"]
    gateway.update(admin, "Lead", kept, {"Title": "CTO"})
    assert gateway.get(admin, "Lead", kept)["Title"] == "CTO"


def test_query_follows_next_records_url_across_pages(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    sf_org.control.seed_records("Account", [{"Name": f"A{n}"} for n in range(2105)])
    rows = gateway.query(admin, "SELECT Id, Name FROM Account ORDER BY Name")
    assert len(rows) == 2105, len(rows)
    assert len({row["Id"] for row in rows}) == 2105


def test_describe_reflects_the_callers_field_security(
    gateway: HttpSalesforceGateway, sf_org: OrgHandle
) -> None:
    sf_org.control.update_profile("Standard User", fields={"Contact.Title": "read"})
    token = sf_org.token("user@test.org")
    access = gateway.describe(ApiSession(sf_org.base_url, token), "Contact")
    assert access.readable and access.createable, access
    assert not access.fields["Title"].updateable, access.fields["Title"]
    assert access.fields["Email"].updateable


def test_errors_map_to_the_adapters_types(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    with pytest.raises(InvalidSession):
        gateway.query(ApiSession(sf_org.base_url, f"{sf_org.id[:15]}!bogus"), "SELECT Id FROM User")
    sf_org.control.update_profile("Standard User", fields={"Contact.Title": "read"})
    user = ApiSession(sf_org.base_url, sf_org.token("user@test.org"))
    with pytest.raises(PermissionDenied) as denied:
        gateway.create(user, "Contact", {"LastName": "X", "Title": "CTO"})
    assert denied.value.field == "Title", denied.value.fields
    with pytest.raises(RecordError) as missing:
        gateway.create(admin, "Contact", {"FirstName": "No last name"})
    assert missing.value.error_code == "REQUIRED_FIELD_MISSING"
    sf_org.control.add_fault(
        match={"sobject": "Account"}, error={"errorCode": "UNABLE_TO_LOCK_ROW"}
    )
    with pytest.raises(Retryable):
        gateway.create(admin, "Account", {"Name": "Locked"})
    sf_org.control.add_fault(match={"api": "rest"}, error={"errorCode": "REQUEST_LIMIT_EXCEEDED"})
    with pytest.raises(RequestLimitExceeded):
        gateway.query(admin, "SELECT Id FROM User")


def test_limit_header_is_read_from_every_answer(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    sf_org.control.settings(api_daily_limit=500)
    gateway.query(admin, "SELECT Id FROM User")
    usage = gateway.api_usage(admin.instance_url)
    assert usage is not None and usage.limit == 500 and usage.used >= 1, usage


def test_web_server_flow_refresh_and_revoke(
    gateway: HttpSalesforceGateway, sf_org: OrgHandle
) -> None:
    request = gateway.authorization_request()
    page = Browser(requests.Session(), "http://localhost:8080/callback").authorize(
        request.url, "user@test.org", "user-pass-1"
    )
    assert page.callback is not None and page.callback["state"] == request.state, page
    grant = gateway.exchange_code(page.callback["code"], request.code_verifier)
    assert grant.refresh_token, grant
    assert gateway.identity(grant).username == "user@test.org"
    refreshed = gateway.refresh(grant.refresh_token)
    assert refreshed.access_token != grant.access_token
    gateway.revoke(grant.refresh_token)
    with pytest.raises(OAuthError) as refused:
        gateway.refresh(grant.refresh_token)
    assert refused.value.error == "invalid_grant" and refused.value.is_permanent, refused.value


def test_preflight_reads_are_one_api_call_with_each_refusal_of_its_own(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    sf_org.control.update_profile("Standard User", objects={"Lead": "none"})
    user = ApiSession(sf_org.base_url, sf_org.token("user@test.org"))
    gateway.query(user, "SELECT Id FROM User")
    before = gateway.api_usage(user.instance_url)
    reads = gateway.preflight_reads(
        user, sf_org.users["user@test.org"], ["Contact", "Lead"], ["Contact"]
    )
    after = gateway.api_usage(user.instance_url)
    assert before and after and after.used - before.used == 1, (before, after)
    assert reads.access("Contact").fields["Email"].updateable, reads.objects["Contact"]
    with pytest.raises(RecordError) as hidden:
        reads.access("Lead")
    assert hidden.value.error_code == "NOT_FOUND", hidden.value
    # A Standard User has neither Manage Users (UserLogin) nor View Setup (permission sets).
    assert isinstance(reads.user_logins_refused, (PermissionDenied, RecordError)), reads
    assert reads.permissions is None, reads.permissions

    as_admin = gateway.preflight_reads(
        admin, sf_org.users["admin@test.org"], ["Contact"], ["Contact", "Lead"]
    )
    assert as_admin.user_logins_refused is None, as_admin.user_logins_refused
    permissions = as_admin.permissions
    assert permissions is not None
    assert (permissions.api_enabled, permissions.view_all_data) == (True, True), permissions
    assert permissions.profile_name == "System Administrator", permissions
    one_by_one = gateway.user_permissions(
        admin, sf_org.users["admin@test.org"], ["Contact", "Lead"]
    )
    assert one_by_one is not None and permissions == one_by_one, (permissions, one_by_one)


def test_preflight_reads_raise_what_says_nothing_about_permissions(
    gateway: HttpSalesforceGateway, admin: ApiSession, sf_org: OrgHandle
) -> None:
    sf_org.control.add_fault(match={"api": "rest"}, error={"errorCode": "REQUEST_LIMIT_EXCEEDED"})
    with pytest.raises(RequestLimitExceeded):
        gateway.preflight_reads(admin, sf_org.users["admin@test.org"], ["Contact"], [])
    with pytest.raises(InvalidSession):
        gateway.preflight_reads(
            ApiSession(sf_org.base_url, f"{sf_org.id[:15]}!bogus"), "005", ["Contact"], []
        )
