"""Who is acting, and the access checks every record operation starts with.

A record operation runs as the token's user (``Caller``). Objects the user cannot read do not
exist for them (``NOT_FOUND``, as for an unknown object); a record they cannot see is
``NOT_FOUND`` too (Salesforce Help, "Record-Level Access"; Salesforce Help, "Object Permissions").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from .. import errors, ids
from ..pipeline.sessions import Session
from ..schema import FieldDef, ObjectDef
from ..security import EffectivePermissions, SecurityEvaluator
from ..store import OrgStore
from ..store.ddl import quote

Action = Literal["read", "create", "edit", "delete"]


@dataclass
class Caller:
    """The token's user, the API version of the call and the request headers that matter."""

    session: Session
    version: str = "59.0"
    auto_assign: bool = True

    @property
    def store(self) -> OrgStore:
        return self.session.org

    @property
    def perms(self) -> EffectivePermissions:
        return self.session.perms

    @property
    def security(self) -> SecurityEvaluator:
        return self.session.security

    @property
    def user_id(self) -> str:
        return self.session.user_id

    @cached_property
    def restricted_picklists(self) -> frozenset[str]:
        """The org's ``restricted_picklists`` setting ("Object.Field"), lower-cased."""
        listed = self.store.setting("restricted_picklists", []) or []
        return frozenset(str(item).lower() for item in listed)

    def record_url(self, obj: ObjectDef, record_id: str) -> str:
        return f"/services/data/v{self.version}/sobjects/{obj.name}/{record_id}"

    def at_least(self, major: int) -> bool:
        return int(self.version.split(".", 1)[0]) >= major


def readable_object(caller: Caller, name: str) -> ObjectDef:
    """The object named ``name`` if the user may read it; NOT_FOUND otherwise."""
    obj = caller.store.schema.object(name)
    if obj is None or not caller.perms.object_access(obj).read:
        raise errors.NotFound()
    return obj


def require(caller: Caller, obj: ObjectDef, action: Action) -> None:
    """The object permission ``action``; INSUFFICIENT_ACCESS_OR_READONLY when missing.

    Setup objects are administered through the control plane, never through the data API:
    CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY "entity type cannot be ..." (REST API Developer Guide,
    "Status Codes and Error Responses").
    """
    if obj.setup and action != "read":
        verb = {"create": "inserted", "edit": "updated", "delete": "deleted"}[action]
        raise errors.CannotInsertUpdateActivateEntity(f"entity type cannot be {verb}: {obj.name}")
    access = caller.perms.object_access(obj)
    allowed = {
        "read": access.read,
        "create": access.create,
        "edit": access.edit,
        "delete": access.delete,
    }[action]
    if not allowed:
        raise errors.InsufficientAccessOrReadonly()


def id_label(obj_or_field: ObjectDef | FieldDef) -> str:
    """``Account ID``, ``Owner ID``, ``Name ID``: how Salesforce names an id in messages."""
    label = obj_or_field.label
    return label if label.endswith("ID") else f"{label} ID"


def record_id_in_url(obj: ObjectDef, raw: str, writing: bool) -> str:
    """The 18-character id of a URL segment naming a record of ``obj``.

    Not an id at all: Salesforce reads the segment as an external id lookup and answers
    NOT_FOUND "Provided external ID field does not exist or is not accessible". An id of
    another object: MALFORMED_ID on writes, NOT_FOUND on reads (REST guide, "Incorrect ID").
    """
    normalized = ids.normalize(raw)
    if normalized is None:
        raise errors.NotFound(
            f"Provided external ID field does not exist or is not accessible: {raw}"
        )
    if normalized[:3] != obj.key_prefix:
        if writing:
            raise errors.MalformedId(f"{id_label(obj)}: id value of incorrect type: {raw}", ["Id"])
        raise errors.NotFound()
    return normalized


def visible_row(caller: Caller, obj: ObjectDef, record_id: str) -> dict[str, Any]:
    """The row ``record_id`` if the user can see it: NOT_FOUND, or ENTITY_IS_DELETED."""
    row = caller.store.get_row(obj, record_id)
    if row is None or not caller.security.can_see(caller.perms, obj, row.get("OwnerId")):
        raise errors.NotFound()
    if row.get("IsDeleted"):
        raise errors.EntityIsDeleted("entity is deleted")
    return row


def row_state(store: OrgStore, obj: ObjectDef, record_id: str) -> dict[str, Any] | None:
    """Just what access checks need of a row: deleted flag, owner, active flag."""
    columns = [name for name in ("IsDeleted", "OwnerId", "IsActive", "Type") if obj.field(name)]
    select = ", ".join(quote(c) for c in ["Id", *columns])
    rows = store.query(f"SELECT {select} FROM {quote(obj.name)} WHERE Id = ?", (record_id,))
    return dict(rows[0]) if rows else None


def parse_flag(value: Any, name: str) -> bool:
    """A boolean option: JSON true/false or the strings "true"/"false" (any case); absent is
    false. Anything else is refused, as Salesforce's JSON reader does."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise errors.JsonParserError(f"Cannot deserialize value of type `boolean` for {name}: {value}")
