"""Who owns a record: the default owner, explicit owners, transfers and the lead assignment rule.

docs/rest-api.md, "Ownership": OwnerId defaults to the running user; an explicit owner must be an
active user of the org (INACTIVE_OWNER_OR_USER unless "Update Records with Inactive Owners");
a non-user id is FIELD_INTEGRITY_EXCEPTION, garbage MALFORMED_ID, an unknown user id
INVALID_CROSS_REFERENCE_KEY. Changing the owner needs transfer rights
(``SecurityEvaluator.can_transfer``).
"""

from __future__ import annotations

import logging
from typing import Any

from .. import errors, ids
from ..schema import ObjectDef
from .context import Caller, id_label, row_state

log = logging.getLogger("mock_salesforce")


def check_owner(caller: Caller, obj: ObjectDef, value: Any) -> str:
    """An explicit OwnerId, checked: an active user (or a queue where the object allows one)."""
    fdef = obj.field("OwnerId")
    assert fdef is not None
    text = "" if value is None else str(value)
    normalized = ids.normalize(text)
    if normalized is None:
        raise errors.MalformedId(
            f"{id_label(fdef)}: id value of incorrect type: {text}", ["OwnerId"]
        )
    target = caller.store.schema.by_prefix(normalized[:3])
    if target is None or target.name not in fdef.reference_to:
        raise errors.FieldIntegrityException(
            f"{id_label(fdef)}: id value of incorrect type: {text}", ["OwnerId"]
        )
    state = row_state(caller.store, target, normalized)
    if state is None:
        raise errors.InvalidCrossReferenceKey("invalid cross reference id", ["OwnerId"])
    if target.name == "Group" and state.get("Type") != "Queue":
        raise errors.FieldIntegrityException(
            f"{id_label(fdef)}: id value of incorrect type: {text}", ["OwnerId"]
        )
    inactive = target.name == "User" and not state.get("IsActive")
    if inactive and not caller.perms.has("UpdateWithInactiveOwner"):
        raise errors.InactiveOwnerOrUser(
            f"operation performed with inactive user [{normalized[:15]}] as owner of "
            f"{obj.name.lower()}"
        )
    return normalized


def assigned_lead_owner(caller: Caller, obj: ObjectDef) -> str | None:
    """The owner the org's lead assignment rule picks, when it runs for this write.

    The rule (org setting ``lead_assignment_owner``: a username or user id) runs on every Lead
    create and update unless the call sends ``Sforce-Auto-Assign: FALSE`` (the header defaults
    to TRUE: REST guide, "Assignment Rule Header"), and then wins over an explicit OwnerId, as
    an active assignment rule does. That is why integrations that own the owner send FALSE.
    """
    if obj.name != "Lead" or not caller.auto_assign:
        return None
    configured = caller.store.setting("lead_assignment_owner")
    if not configured:
        return None
    rows = caller.store.query(
        'SELECT Id FROM "User" WHERE Id = ? OR Username = ?',
        (ids.normalize(str(configured)) or "", str(configured)),
    )
    if not rows:
        log.warning("lead_assignment_owner '%s' is not a user of this org", configured)
        return None
    return str(rows[0]["Id"])
