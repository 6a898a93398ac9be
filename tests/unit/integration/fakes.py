"""An in-memory Salesforce gateway for unit tests: users, permissions, records, tokens, faults.

It stamps OwnerId / CreatedById / LastModifiedById from the acting token's user, answers the
few SOQL shapes the core sends, and can be told to fail the next call of a given operation.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from integration.domain.preflight import FieldAccess, ObjectAccess
from integration.salesforce.errors import (
    InvalidSession,
    MultipleMatches,
    OAuthError,
    PermissionDenied,
    RecordError,
    SalesforceError,
)
from integration.salesforce.types import (
    ApiSession,
    ApiUsage,
    AuthorizationRequest,
    Identity,
    PreflightReads,
    SalesforceUser,
    TokenGrant,
    UpsertResult,
    UserPermissions,
)

ORG_ID = "00DFAKE0000000001AA"
INSTANCE = "https://fake.my.salesforce.com"
LOGIN = "https://login.fake.test"
PREFIX = {"Account": "001", "Contact": "003", "Lead": "00Q", "Task": "00T", "Event": "00U"}
OBJECT_FIELDS = {
    "Account": ["Name", "Website", "Phone"],
    "Contact": ["FirstName", "LastName", "Email", "Title", "Phone", "AccountId"],
    "Lead": ["FirstName", "LastName", "Email", "Title", "Phone", "Company"],
    "Task": ["Subject", "Description", "WhoId", "WhatId", "Status", "TaskSubtype", "ActivityDate"],
    "Event": ["Subject", "Description", "WhoId", "WhatId", "StartDateTime", "EndDateTime"],
}
SYSTEM = ["Id", "OwnerId", "CreatedById", "LastModifiedById", "CreatedDate", "SystemModstamp"]
NEVER_WRITABLE = frozenset(
    {"Id", "CreatedById", "LastModifiedById", "CreatedDate", "SystemModstamp"}
)
CREATE_ONLY = {"Task": frozenset({"TaskSubtype"}), "Event": frozenset({"EventSubtype"})}
"""As in Salesforce: audit fields are never writable; a subtype is accepted on create only."""


@dataclass
class FakeUser:
    user_id: str
    username: str
    active: bool = True
    frozen: bool = False
    api_enabled: bool = True
    view_all_data: bool = False
    readonly_fields: set[str] = field(default_factory=set)
    hidden_objects: set[str] = field(default_factory=set)
    permissions_readable: bool = True
    api_only: bool = False


@dataclass
class Call:
    operation: str
    user_id: str
    sobject: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    auto_assign: bool | None = None
    instance_url: str = ""


class FakeSalesforce:
    def __init__(self) -> None:
        self.users: dict[str, FakeUser] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.tokens: dict[str, str] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.revoked: list[str] = []
        self.faults: dict[str, list[Exception]] = {}
        self.rotation = False
        self.jwt_users: set[str] = set()
        self.client_credentials_user: str | None = None
        self.pending_codes: dict[str, str] = {}
        self.refresh_count = 0
        self._ids = itertools.count(1)
        self._clock = itertools.count(1)

    # -- set-up helpers ---------------------------------------------------------------
    def add_user(self, username: str, **flags: Any) -> FakeUser:
        user = FakeUser(f"005FAKE{len(self.users) + 1:08d}AAA", username, **flags)
        self.users[user.user_id] = user
        return user

    def user(self, username: str) -> FakeUser:
        return next(u for u in self.users.values() if u.username == username)

    def code_for(self, username: str) -> str:
        """An authorization code the callback would carry after `username` logs in."""
        code = f"code-{next(self._ids)}"
        self.pending_codes[code] = self.user(username).user_id
        return code

    def fail_next(self, operation: str, error: Exception) -> None:
        self.faults.setdefault(operation, []).append(error)

    def expire_tokens(self, username: str) -> None:
        """Every access token of that user now answers 401 INVALID_SESSION_ID."""
        user_id = self.user(username).user_id
        for token in [t for t, uid in self.tokens.items() if uid == user_id]:
            del self.tokens[token]

    def seed(self, sobject: str, owner: str, **fields: Any) -> str:
        record_id = self._new_id(sobject)
        stamp = self._stamp()
        owner_id = self.user(owner).user_id
        self.records[record_id] = {
            "attributes": {"type": sobject},
            "Id": record_id,
            "OwnerId": owner_id,
            "CreatedById": owner_id,
            "LastModifiedById": owner_id,
            "CreatedDate": stamp,
            "SystemModstamp": stamp,
            **fields,
        }
        return record_id

    def calls_of(self, operation: str) -> list[Call]:
        return [call for call in self.calls if call.operation == operation]

    def of_type(self, sobject: str) -> list[dict[str, Any]]:
        return [r for r in self.records.values() if r["attributes"]["type"] == sobject]

    # -- OAuth --------------------------------------------------------------------------
    def authorization_request(self, login_hint: str | None = None) -> AuthorizationRequest:
        state = f"state-{next(self._ids)}"
        url = f"{LOGIN}/services/oauth2/authorize?state={state}&code_challenge_method=S256"
        return AuthorizationRequest(url, state, f"verifier-{state}")

    def exchange_code(self, code: str, code_verifier: str) -> TokenGrant:
        self._fault("exchange_code")
        user_id = self.pending_codes.pop(code, None)
        if user_id is None:
            raise OAuthError("invalid_grant", "expired authorization code", 400)
        return self._grant(user_id, with_refresh=True)

    def refresh(self, refresh_token: str) -> TokenGrant:
        self.refresh_count += 1
        self.calls.append(Call("refresh", self.refresh_tokens.get(refresh_token, "")))
        self._fault("refresh")
        user_id = self.refresh_tokens.get(refresh_token)
        if user_id is None or not self.users[user_id].active:
            raise OAuthError("invalid_grant", "expired access/refresh token", 400)
        if self.rotation:
            del self.refresh_tokens[refresh_token]
        return self._grant(user_id, with_refresh=self.rotation)

    def jwt_bearer(self, username: str) -> TokenGrant:
        self._fault("jwt_bearer")
        if username not in self.jwt_users:
            raise OAuthError("invalid_grant", "user hasn't approved this consumer", 400)
        return self._grant(self.user(username).user_id, with_refresh=False)

    def client_credentials(self, my_domain: str | None = None) -> TokenGrant:
        self._fault("client_credentials")
        if self.client_credentials_user is None:
            raise OAuthError("invalid_grant", "no client credentials user enabled", 400)
        return self._grant(self.user(self.client_credentials_user).user_id, with_refresh=False)

    def revoke(self, token: str) -> None:
        self.revoked.append(token)
        self.tokens.pop(token, None)
        self.refresh_tokens.pop(token, None)

    def identity(self, grant: TokenGrant) -> Identity:
        user = self.users[self.tokens[grant.access_token]]
        return Identity(ORG_ID, user.user_id, user.username)

    # -- REST ---------------------------------------------------------------------------
    def describe(self, session: ApiSession, sobject: str) -> ObjectAccess:
        user = self._acting(session, "describe", sobject)
        if sobject in user.hidden_objects:
            raise RecordError("NOT_FOUND", "The requested resource does not exist", 404)
        names = [*OBJECT_FIELDS[sobject], *SYSTEM, "App_Id__c"]
        create_only = CREATE_ONLY.get(sobject, frozenset())
        fields = {
            name: FieldAccess(
                name,
                name not in user.readonly_fields
                and name not in create_only
                and name not in NEVER_WRITABLE,
                name not in user.readonly_fields and name not in NEVER_WRITABLE,
                name == "App_Id__c",
            )
            for name in names
        }
        return ObjectAccess(sobject, True, True, True, fields)

    def create(
        self,
        session: ApiSession,
        sobject: str,
        fields: dict[str, Any],
        auto_assign: bool | None = None,
    ) -> str:
        user = self._acting(session, "create", sobject, fields, auto_assign)
        return self._insert(user, sobject, fields)

    def get(
        self, session: ApiSession, sobject: str, record_id: str, fields: list[str] | None = None
    ) -> dict[str, Any]:
        self._acting(session, "get", sobject)
        if record_id not in self.records:
            raise RecordError("NOT_FOUND", "The requested resource does not exist", 404)
        return dict(self.records[record_id])

    def update(
        self,
        session: ApiSession,
        sobject: str,
        record_id: str,
        fields: dict[str, Any],
        auto_assign: bool | None = None,
    ) -> None:
        user = self._acting(session, "update", sobject, fields, auto_assign)
        self._check_fields(user, sobject, fields, updating=True)
        self.records[record_id].update(
            fields, LastModifiedById=user.user_id, SystemModstamp=self._stamp()
        )

    def upsert(
        self,
        session: ApiSession,
        sobject: str,
        external_id_field: str,
        external_id: str,
        fields: dict[str, Any],
        auto_assign: bool | None = None,
    ) -> UpsertResult:
        user = self._acting(session, "upsert", sobject, fields, auto_assign)
        matches = [r for r in self.of_type(sobject) if r.get(external_id_field) == external_id]
        if len(matches) > 1:
            raise MultipleMatches([f"/sobjects/{sobject}/{r['Id']}" for r in matches])
        if matches:
            self._check_fields(user, sobject, fields, updating=True)
            matches[0].update(fields, LastModifiedById=user.user_id, SystemModstamp=self._stamp())
            return UpsertResult(matches[0]["Id"], created=False)
        record_id = self._insert(user, sobject, {**fields, external_id_field: external_id})
        return UpsertResult(record_id, created=True)

    def query(self, session: ApiSession, soql: str) -> list[dict[str, Any]]:
        self._acting(session, "query", "", {"soql": soql})
        match = re.match(r"SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+))?$", soql)
        assert match, f"fake cannot read SOQL {soql!r}"
        names = [n.strip() for n in match.group(1).split(",")]
        rows = self._rows(match.group(2))
        rows = [r for r in rows if _where(r, match.group(3))]
        if match.group(4):
            keys = [k.strip() for k in match.group(4).split(",")]
            rows.sort(key=lambda r: tuple(str(r.get(k) or "") for k in keys))
        return [{n: r.get(n) for n in names} for r in rows]

    def get_user(self, session: ApiSession, user_id: str) -> SalesforceUser | None:
        self._acting(session, "get_user", "User")
        user = self.users.get(user_id)
        if user is None:
            return None
        return SalesforceUser(user.user_id, user.username, user.active, is_frozen=user.frozen)

    def user_permissions(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str]
    ) -> UserPermissions | None:
        try:
            self._acting(session, "user_permissions", "User")
        except PermissionDenied:
            return None
        user = self.users[user_id]
        if not user.permissions_readable:
            return None
        return UserPermissions(
            user.api_enabled,
            user.view_all_data,
            {name: user.view_all_data for name in sobjects},
            api_only=user.api_only,
        )

    def preflight_reads(
        self, session: ApiSession, user_id: str, sobjects: Iterable[str], pulled: Iterable[str]
    ) -> PreflightReads:
        """The reads of the real adapter's one composite call, each made as a call here."""
        objects: dict[str, ObjectAccess | SalesforceError] = {}
        for name in sobjects:
            try:
                objects[name] = self.describe(session, name)
            except (PermissionDenied, RecordError) as refused:
                objects[name] = refused
        logins_refused: SalesforceError | None = None
        try:
            self.query(session, f"SELECT IsFrozen FROM UserLogin WHERE UserId = '{user_id}'")
        except (PermissionDenied, RecordError) as refused:
            logins_refused = refused
        permissions = self.user_permissions(session, user_id, pulled)
        return PreflightReads(objects, logins_refused, permissions)

    def api_usage(self, instance_url: str) -> ApiUsage | None:
        return ApiUsage(len(self.calls), 15000)

    # -- internals ----------------------------------------------------------------------
    def _grant(self, user_id: str, with_refresh: bool) -> TokenGrant:
        access = f"{ORG_ID[:15]}!access-{next(self._ids)}"
        self.tokens[access] = user_id
        refresh = None
        if with_refresh:
            refresh = f"refresh-{next(self._ids)}"
            self.refresh_tokens[refresh] = user_id
        return TokenGrant(access, INSTANCE, f"{LOGIN}/id/{ORG_ID}/{user_id}", refresh)

    def _acting(
        self,
        session: ApiSession,
        operation: str,
        sobject: str,
        payload: dict[str, Any] | None = None,
        auto_assign: bool | None = None,
    ) -> FakeUser:
        user_id = self.tokens.get(session.access_token, "")
        self.calls.append(
            Call(
                operation, user_id, sobject, dict(payload or {}), auto_assign, session.instance_url
            )
        )
        if session.instance_url != INSTANCE or not user_id:
            raise InvalidSession("INVALID_SESSION_ID", "Session expired or invalid", 401)
        self._fault(operation)
        user = self.users[user_id]
        if not user.api_enabled:
            raise PermissionDenied("API_CURRENTLY_DISABLED", "API is disabled for this User", 403)
        return user

    def _fault(self, operation: str) -> None:
        queued = self.faults.get(operation)
        if queued:
            raise queued.pop(0)

    def _check_fields(
        self, user: FakeUser, sobject: str, fields: dict[str, Any], updating: bool = False
    ) -> None:
        """INVALID_FIELD_FOR_INSERT_UPDATE for read-only fields (FLS), audit fields, and on an
        update (an upsert that matched included) for create-only fields such as TaskSubtype."""
        create_only = CREATE_ONLY.get(sobject, frozenset()) if updating else frozenset()
        blocked = [
            name
            for name in fields
            if name in user.readonly_fields or name in NEVER_WRITABLE or name in create_only
        ]
        if blocked:
            raise PermissionDenied(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                f"Unable to create/update fields: {', '.join(blocked)}.",
                400,
                tuple(blocked),
            )

    def _insert(self, user: FakeUser, sobject: str, fields: dict[str, Any]) -> str:
        self._check_fields(user, sobject, fields)
        owner = fields.get("OwnerId", user.user_id)
        if owner in self.users and not self.users[owner].active:
            raise RecordError(
                "INACTIVE_OWNER_OR_USER", "operation performed with inactive user", 400
            )
        record_id = self._new_id(sobject)
        stamp = self._stamp()
        self.records[record_id] = {
            "attributes": {"type": sobject},
            **fields,
            "Id": record_id,
            "OwnerId": owner,
            "CreatedById": user.user_id,
            "LastModifiedById": user.user_id,
            "CreatedDate": stamp,
            "SystemModstamp": stamp,
        }
        return record_id

    def _rows(self, sobject: str) -> list[dict[str, Any]]:
        if sobject == "User":
            return [
                {"Id": u.user_id, "Username": u.username, "IsActive": u.active}
                for u in self.users.values()
            ]
        return self.of_type(sobject)

    def _new_id(self, sobject: str) -> str:
        return f"{PREFIX[sobject]}FAKE{next(self._ids):08d}AAA"

    def _stamp(self) -> str:
        tick = next(self._clock)
        return f"2024-01-01T{tick // 3600:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}.000+0000"


def _where(row: dict[str, Any], condition: str | None) -> bool:
    if not condition:
        return True
    return all(_term(row, term.strip().strip("()")) for term in condition.split(" AND "))


def _term(row: dict[str, Any], term: str) -> bool:
    name, op, value = re.match(r"(\w+)\s*(>=|=|IN)\s*(.+)", term).groups()  # type: ignore[union-attr]
    actual = row.get(name)
    if op == "IN":
        return actual in [v.strip().strip("'") for v in value.strip("()").split(",")]
    if op == ">=":
        return str(actual)[:19] >= value[:19]
    return str(actual) == value.strip("'")
