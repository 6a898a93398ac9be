"""Fields Salesforce computes on save: compound names, Task/Event ``AccountId``, ``IsClosed``.

Object Reference: Contact/Lead/User ``Name`` joins FirstName and LastName; an activity's
``AccountId`` comes from an Account/Opportunity WhatId, else from a Contact WhoId; ``IsClosed``
follows a closed Status (TaskStatus.IsClosed) and ``IsHighPriority`` the High priority.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from ..schema import ObjectDef
from ..store import OrgStore

CLOSED_TASK_STATUSES = frozenset({"Completed", "Deferred"})


def apply_derived(store: OrgStore, obj: ObjectDef, row: MutableMapping[str, Any]) -> None:
    """Fill in the derived fields of ``row`` (a complete row after the write) in place."""
    for fdef in obj.derived_fields:
        row[fdef.name] = _RULES[str(fdef.derived)](store, row)


def _full_name(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    parts = (row.get("FirstName"), row.get("LastName"))
    return " ".join(p for p in parts if p) or None


def _activity_account(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    what = row.get("WhatId")
    if what and what.startswith("001"):
        return what
    if what and what.startswith("006"):
        found = store.query('SELECT AccountId FROM "Opportunity" WHERE Id = ?', (what,))
        return found[0]["AccountId"] if found else None
    who = row.get("WhoId")
    if who and who.startswith("003"):
        found = store.query('SELECT AccountId FROM "Contact" WHERE Id = ?', (who,))
        return found[0]["AccountId"] if found else None
    return None


def _task_closed(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    return row.get("Status") in CLOSED_TASK_STATUSES


def _task_completed(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    if row.get("Status") in CLOSED_TASK_STATUSES:
        return row.get("CompletedDateTime") or store.now_text()
    return None


def _task_high_priority(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    return row.get("Priority") == "High"


def _opportunity_closed(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    return str(row.get("StageName") or "").startswith("Closed")


def _opportunity_won(store: OrgStore, row: MutableMapping[str, Any]) -> Any:
    return row.get("StageName") == "Closed Won"


_RULES = {
    "full_name": _full_name,
    "activity_account": _activity_account,
    "task_closed": _task_closed,
    "task_completed": _task_completed,
    "task_high_priority": _task_high_priority,
    "opportunity_closed": _opportunity_closed,
    "opportunity_won": _opportunity_won,
}
