"""``POST /composite/tree/{SObject}``: nested records inserted all-or-nothing.

Each record carries ``attributes: {type, referenceId}``; children sit under the parent's
child relationship name (``Contacts``) as ``{"records": [...]}`` and get the parent lookup
filled in. At most 200 records, 5 object types and 5 levels. Records are inserted level by
level (all roots, then their children, ...), which is also the order of the results. The
first record that fails rolls everything back and the answer (400) names only it (REST
guide, "sObject Tree"; shared reference part 2 §4.2). Salesforce may report several failing
records at once; the mock stops at the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import errors, pipeline
from ..schema import ObjectDef
from . import dml
from .context import Caller, readable_object

MAX_RECORDS, MAX_TYPES, MAX_LEVELS = 200, 5, 5


@dataclass
class TreeRecord:
    obj: ObjectDef
    reference_id: str
    fields: dict[str, Any]
    level: int
    parent: TreeRecord | None = None
    parent_field: str | None = None
    children: list[TreeRecord] = field(default_factory=list)
    id: str | None = None


class TreeFailure(Exception):
    """The tree was refused: the 400 body names the failing records."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        super().__init__("sObject tree failed")


def parse_tree(caller: Caller, sobject: str, body: Any) -> list[TreeRecord]:
    """Every record of the request, level by level; a malformed request is a 400."""
    root_obj = readable_object(caller, sobject)
    roots = _records(body, f"the {root_obj.name} tree")
    ordered: list[TreeRecord] = []
    level = [_record(caller, item, root_obj, 1) for item in roots]
    while level:
        ordered.extend(level)
        level = [child for record in level for child in record.children]
    _check_limits(ordered)
    return ordered


def _records(body: Any, where: str) -> list[Any]:
    records = body.get("records") if isinstance(body, Mapping) else None
    if not isinstance(records, list) or not records:
        raise errors.InvalidInput(f"A records array is required in {where}")
    return records


def _record(caller: Caller, item: Any, expected: ObjectDef, level: int) -> TreeRecord:
    attributes = item.get("attributes") if isinstance(item, Mapping) else None
    if not isinstance(attributes, Mapping):
        raise errors.InvalidInput("Every record needs attributes with type and referenceId")
    kind, reference_id = attributes.get("type"), attributes.get("referenceId")
    if not isinstance(reference_id, str) or not reference_id:
        raise errors.InvalidInput("Every record needs a referenceId in its attributes")
    if not isinstance(kind, str) or kind.lower() != expected.name.lower():
        raise errors.InvalidInput(
            f"The type of record {reference_id} must be {expected.name}, not {kind}"
        )
    record = TreeRecord(expected, reference_id, {}, level)
    assert isinstance(item, Mapping)
    for name, value in item.items():
        if name == "attributes":
            continue
        if isinstance(value, Mapping) and "records" in value:
            record.children.extend(_children(caller, record, name, value, level))
        else:
            record.fields[name] = value
    return record


def _children(
    caller: Caller, parent: TreeRecord, name: str, value: Mapping[str, Any], level: int
) -> list[TreeRecord]:
    relationship = caller.store.schema.child_relationship(parent.obj.name, name)
    if relationship is None:
        raise errors.InvalidField(
            f"No such column '{name}' on entity '{parent.obj.name}'. If you are attempting to "
            "use a custom relationship, be sure to append the '__r' after the custom "
            "relationship name."
        )
    child_obj = readable_object(caller, relationship.child_object)
    children = [_record(caller, item, child_obj, level + 1) for item in _records(value, name)]
    for child in children:
        child.parent, child.parent_field = parent, relationship.field
    return children


def _check_limits(records: list[TreeRecord]) -> None:
    if len(records) > MAX_RECORDS:
        raise errors.InvalidInput(
            f"Too many records: a tree request takes at most {MAX_RECORDS}, got {len(records)}"
        )
    if len({r.obj.name for r in records}) > MAX_TYPES:
        raise errors.InvalidInput(f"A tree request takes at most {MAX_TYPES} object types")
    if max(r.level for r in records) > MAX_LEVELS:
        raise errors.InvalidInput(f"A tree request takes at most {MAX_LEVELS} levels")
    seen: dict[str, int] = {}
    for record in records:
        seen[record.reference_id] = seen.get(record.reference_id, 0) + 1
    duplicated = [r for r in records if seen[r.reference_id] > 1]
    if duplicated:
        message = "Duplicate ReferenceId provided in the request"
        raise TreeFailure(
            _failure([(r.reference_id, errors.InvalidInput(message)) for r in duplicated])
        )


def insert_tree(caller: Caller, sobject: str, body: Any) -> dict[str, Any]:
    """Insert the tree in one transaction; TreeFailure (rolled back) on the first error."""
    records = parse_tree(caller, sobject, body)
    try:
        with caller.store.transaction():
            for record in records:
                _insert(caller, record)
    except errors.SalesforceError as exc:
        failed = next(r for r in records if r.id is None)
        raise TreeFailure(_failure([(failed.reference_id, exc)])) from None
    pipeline.note(record_ids=[r.id for r in records if r.id])
    results = [{"referenceId": r.reference_id, "id": r.id} for r in records]
    return {"hasErrors": False, "results": results}


def _insert(caller: Caller, record: TreeRecord) -> None:
    fields = dict(record.fields)
    if record.parent is not None and record.parent_field is not None:
        fields[record.parent_field] = record.parent.id
    record.id = dml.create(caller, record.obj.name, fields)


def _failure(failed: list[tuple[str, errors.SalesforceError]]) -> dict[str, Any]:
    results = [{"referenceId": ref, "errors": [exc.to_save_error()]} for ref, exc in failed]
    return {"hasErrors": True, "results": results}
