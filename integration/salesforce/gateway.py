"""The gateway services depend on (a Protocol) and its HTTP implementation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import requests

from integration.domain.preflight import ObjectAccess
from integration.salesforce.errors import (
    InvalidSession,
    RequestLimitExceeded,
    Retryable,
    SalesforceError,
)
from integration.salesforce.oauth import OAuthSettings, SalesforceOAuth
from integration.salesforce.rest import (
    DEFAULT_API_VERSION,
    SalesforceRest,
    describe_path,
    object_access,
    query_path,
    soql_quote,
)
from integration.salesforce.types import (
    ApiSession,
    ApiUsage,
    AuthorizationRequest,
    Identity,
    PreflightReads,
    Record,
    SalesforceUser,
    TokenGrant,
    UpsertResult,
    UserPermissions,
)

# Errors that say nothing about permissions: they must reach the caller, never read as "no".
TRANSIENT = (Retryable, RequestLimitExceeded, InvalidSession)


class SalesforceGateway(Protocol):
    """Everything the services ask of Salesforce, in Salesforce's words."""

    def authorization_request(self, login_hint: str | None = None) -> AuthorizationRequest: ...
    def exchange_code(self, code: str, code_verifier: str) -> TokenGrant: ...
    def refresh(self, refresh_token: str) -> TokenGrant: ...
    def jwt_bearer(self, username: str) -> TokenGrant: ...
    def client_credentials(self, my_domain: str | None = None) -> TokenGrant: ...
    def revoke(self, token: str) -> None: ...
    def identity(self, grant: TokenGrant) -> Identity: ...
    def describe(self, session: ApiSession, sobject: str) -> ObjectAccess: ...
    def create(
        self, session: ApiSession, sobject: str, fields: Record, auto_assign: bool | None = None
    ) -> str: ...
    def get(
        self, session: ApiSession, sobject: str, record_id: str, fields: list[str] | None = None
    ) -> Record: ...
    def update(
        self,
        session: ApiSession,
        sobject: str,
        record_id: str,
        fields: Record,
        auto_assign: bool | None = None,
    ) -> None: ...
    def upsert(
        self,
        session: ApiSession,
        sobject: str,
        external_id_field: str,
        external_id: str,
        fields: Record,
        auto_assign: bool | None = None,
    ) -> UpsertResult: ...
    def query(self, session: ApiSession, soql: str) -> list[Record]: ...
    def get_user(self, session: ApiSession, user_id: str) -> SalesforceUser | None: ...
    def user_permissions(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str]
    ) -> UserPermissions | None: ...
    def preflight_reads(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str], pulled: Iterable[str]
    ) -> PreflightReads: ...
    def api_usage(self, instance_url: str) -> ApiUsage | None: ...


class HttpSalesforceGateway(SalesforceOAuth, SalesforceRest):
    """The real adapter: `requests` against a login host and each connection's instance_url."""

    def __init__(
        self,
        settings: OAuthSettings,
        http: requests.Session | None = None,
        api_version: str = DEFAULT_API_VERSION,
    ) -> None:
        session = http or requests.Session()
        SalesforceOAuth.__init__(self, settings, session)
        SalesforceRest.__init__(self, session, api_version, settings.timeout_seconds)

    def get_user(self, session: ApiSession, user_id: str) -> SalesforceUser | None:
        rows = self.query(
            session,
            f"SELECT Id, Username, Name, IsActive FROM User WHERE Id = {soql_quote(user_id)}",
        )
        if not rows:
            return None
        row = rows[0]
        return SalesforceUser(
            str(row["Id"]),
            str(row.get("Username") or ""),
            bool(row.get("IsActive")),
            str(row.get("Name") or ""),
            self._frozen(session, user_id),
        )

    def _frozen(self, session: ApiSession, user_id: str) -> bool:
        """UserLogin.IsFrozen; reading it needs Manage Users, so unreadable means "not known"."""
        try:
            rows = self.query(
                session, f"SELECT IsFrozen FROM UserLogin WHERE UserId = {soql_quote(user_id)}"
            )
        except TRANSIENT:
            raise
        except SalesforceError:
            return False
        return any(bool(row.get("IsFrozen")) for row in rows)

    def user_permissions(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str]
    ) -> UserPermissions | None:
        """API Enabled, View All Data and per-object View All, or None when unreadable.

        Reading ObjectPermissions needs "View Setup and Configuration" (Object Reference);
        a TS user without it gets None and the preflight reports it as unverified.
        """
        try:
            return self._read_permissions(session, user_id, list(sobjects))
        except TRANSIENT:
            raise
        except SalesforceError:
            return None

    def preflight_reads(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str], pulled: Iterable[str]
    ) -> PreflightReads:
        """The preflight's reads in one composite call, not one call each: the describe of
        every synced object, UserLogin (X-01), and the permission queries `user_permissions`
        runs one by one (`_permission_queries`). A whole call refused (say
        API_DISABLED_FOR_ORG) is each read refused alike.
        """
        queries = {
            "logins": f"SELECT IsFrozen FROM UserLogin WHERE UserId = {soql_quote(user_id)}",
            **_permission_queries(user_id, pulled),
        }
        describes = {f"describe_{name}": name for name in sobjects}
        paths = {ref: describe_path(name) for ref, name in describes.items()}
        paths.update({ref: query_path(soql) for ref, soql in queries.items()})
        try:
            answers = self.composite_get(session, paths)
        except TRANSIENT:
            raise
        except SalesforceError as refused:
            answers = dict.fromkeys(paths, refused)
        objects = {name: _access(answers[ref], name) for ref, name in describes.items()}
        logins = answers["logins"]
        return PreflightReads(
            objects,
            logins if isinstance(logins, SalesforceError) else None,
            _permissions(answers),
        )

    def _read_permissions(
        self, session: ApiSession, user_id: str, sobjects: list[str]
    ) -> UserPermissions:
        """The same reads as the preflight's, one query each."""
        rows = {
            ref: self.query(session, soql)
            for ref, soql in _permission_queries(user_id, sobjects).items()
        }
        return _permissions_from(rows["sets"], rows.get("objects", []))


def _permission_queries(user_id: str, sobjects: Iterable[str]) -> dict[str, str]:
    """The user's permission sets (API Enabled, View All Data, API Only, the profile's name)
    and, for ``sobjects``, their per-object View All. The sets are reached by a semi-join on
    PermissionSetAssignment (a composite call takes at most 5 queries: REST API Developer
    Guide, "Composite"); the profile's name is that of the profile-owned set among them
    (Object Reference, "PermissionSet": ``ProfileId``; every user is assigned their
    profile's set)."""
    assigned = (
        "SELECT PermissionSetId FROM PermissionSetAssignment "
        f"WHERE AssigneeId = {soql_quote(user_id)}"
    )
    queries = {
        "sets": "SELECT PermissionsApiEnabled, PermissionsViewAllData, "
        f"PermissionsApiUserOnly, Profile.Name FROM PermissionSet WHERE Id IN ({assigned})",
    }
    names = ", ".join(soql_quote(name) for name in sobjects)
    if names:
        queries["objects"] = (
            "SELECT SobjectType, PermissionsViewAllRecords FROM ObjectPermissions "
            f"WHERE ParentId IN ({assigned}) AND SobjectType IN ({names})"
        )
    return queries


def _permissions(answers: dict[str, Any]) -> UserPermissions | None:
    """`UserPermissions` from the preflight's permission queries; None if one was refused."""
    reads = [answers[ref] for ref in ("sets", "objects") if ref in answers]
    if any(isinstance(answer, SalesforceError) for answer in reads):
        return None
    objects = answers["objects"]["records"] if "objects" in answers else []
    return _permissions_from(answers["sets"]["records"], objects)


def _access(answer: Any, sobject: str) -> ObjectAccess | SalesforceError:
    return answer if isinstance(answer, SalesforceError) else object_access(answer, sobject)


def _permissions_from(sets: list[Record], objects: list[Record]) -> UserPermissions:
    """PermissionSet rows (the user's sets, with ``Profile.Name`` on the profile-owned one)
    and ObjectPermissions rows of those sets."""
    view_all: dict[str, bool] = {}
    for row in objects:
        name = str(row.get("SobjectType") or "")
        view_all[name] = view_all.get(name, False) or bool(row.get("PermissionsViewAllRecords"))
    profiles = [row["Profile"] for row in sets if isinstance(row.get("Profile"), dict)]
    return UserPermissions(
        api_enabled=any(bool(row.get("PermissionsApiEnabled")) for row in sets),
        view_all_data=any(bool(row.get("PermissionsViewAllData")) for row in sets),
        view_all_records=view_all,
        api_only=any(bool(row.get("PermissionsApiUserOnly")) for row in sets),
        profile_name=str(profiles[0].get("Name") or "") if profiles else "",
    )
