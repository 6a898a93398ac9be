"""Records seeded as test setup, with explicit audit fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ControlError
from ..records.derived import apply_derived
from ..schema.values import format_datetime, parse_datetime
from ..store import OrgStore
from .common import sobject
from .users import find_user


def seed_record(
    store: OrgStore, obj_name: str, values: Mapping[str, Any], acting_user: str | None
) -> str:
    """Insert a record as test setup: no security, audit fields settable, defaults applied."""
    obj = sobject(store, obj_name)
    if obj.setup:
        raise ControlError(f"{obj.name} rows are created through their own control-plane routes")
    row: dict[str, Any] = {}
    for key, value in values.items():
        fdef = obj.field(key)
        if fdef is None:
            raise ControlError(f"No such column '{key}' on sobject of type {obj.name}")
        row[fdef.name] = value
    now = store.now_text()
    created = format_datetime(parse_datetime(row["CreatedDate"])) if row.get("CreatedDate") else now
    creator = row.get("CreatedById") or acting_user
    record_id = store.new_id(obj.key_prefix)
    for fdef in obj.fields:
        if fdef.name not in row and fdef.default is not None:
            row[fdef.name] = fdef.default
    row.update(
        {
            "Id": record_id,
            "IsDeleted": False,
            "CreatedDate": created,
            "CreatedById": creator,
            "LastModifiedDate": row.get("LastModifiedDate", created),
            "LastModifiedById": row.get("LastModifiedById", creator),
            "SystemModstamp": now,
        }
    )
    if obj.has_owner:
        row.setdefault("OwnerId", creator)
    apply_derived(store, obj, row)
    try:
        store.insert_row(obj, row)
    except (ValueError, KeyError) as exc:
        raise ControlError(f"bad value for {obj.name}: {exc}") from exc
    return record_id


def default_creator(store: OrgStore) -> str | None:
    """Who seeded records are created by when a test names nobody: the first admin."""
    rows = store.query(
        'SELECT u.Id FROM "User" u JOIN "Profile" p ON p.Id = u.ProfileId '
        "WHERE p.Name = 'System Administrator' ORDER BY u.rowid LIMIT 1"
    )
    return rows[0]["Id"] if rows else None


USER_FIELDS = ("OwnerId", "CreatedById", "LastModifiedById")


def resolve_user_refs(store: OrgStore, record: dict[str, Any]) -> dict[str, Any]:
    """A seeded record with its user fields given as usernames turned into user ids."""
    resolved = dict(record)
    for key in list(resolved):
        if key in USER_FIELDS and resolved[key] and not str(resolved[key]).startswith("005"):
            resolved[key] = find_user(store, str(resolved[key]))["Id"]
    return resolved
