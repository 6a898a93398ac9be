"""What the org-administration modules share: audit values, object lookup, required keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ControlError
from ..schema import ObjectDef
from ..store import OrgStore

ALL = "all"


def audit_values(now: str, user_id: str | None) -> dict[str, Any]:
    return {
        "CreatedDate": now,
        "LastModifiedDate": now,
        "SystemModstamp": now,
        "CreatedById": user_id,
        "LastModifiedById": user_id,
        "IsDeleted": False,
    }


def sobject(store: OrgStore, name: str) -> ObjectDef:
    obj = store.schema.object(name)
    if obj is None:
        raise ControlError(f"unknown sObject '{name}'")
    return obj


def required(spec: Mapping[str, Any], key: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value:
        raise ControlError(f"'{key}' is required")
    return value
