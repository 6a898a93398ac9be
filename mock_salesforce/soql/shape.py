"""SQL rows to Salesforce's JSON records (REST API Developer Guide, "Query").

Every record and every nested parent carries `attributes {type, url}`; an empty or invisible
lookup is `null`; a child relationship is `{totalSize, done, records}` or `null`; aggregate
rows are `{"attributes": {"type": "AggregateResult"}, ...}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mock_salesforce.schema import ObjectDef
from mock_salesforce.schema.values import from_storage
from mock_salesforce.soql.outputs import ChildOut, Out, ParentOut, TypeOfOut, ValueOut

Row = Sequence[Any]
ChildResults = Mapping[str, Mapping[str, dict[str, Any]]]


def attributes(obj_name: str, record_id: str, version: str) -> dict[str, str]:
    return {"type": obj_name, "url": f"/services/data/v{version}/sobjects/{obj_name}/{record_id}"}


def shape_record(
    row: Row, obj: ObjectDef, outputs: tuple[Out, ...], version: str, children: ChildResults
) -> dict[str, Any]:
    record: dict[str, Any] = {"attributes": attributes(obj.name, row[0], version)}
    _fill(record, row, outputs, version, children)
    return record


def shape_aggregate(row: Row, outputs: tuple[ValueOut, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {"attributes": {"type": "AggregateResult"}}
    for out in outputs:
        record[out.key] = convert(out, row[out.index])
    return record


def convert(out: ValueOut, raw: Any) -> Any:
    """A stored value as JSON, by the Salesforce type of what was selected."""
    if raw is None:
        return None
    if out.field is not None and out.kind == out.field.type:
        return from_storage(out.field, raw)
    if out.kind == "int":
        return int(raw)
    if out.kind in ("double", "currency", "percent"):
        return float(raw)
    if out.kind == "boolean":
        return bool(raw)
    return raw


def _fill(
    target: dict[str, Any],
    row: Row,
    outputs: tuple[Out, ...],
    version: str,
    children: ChildResults,
) -> None:
    for out in outputs:
        if isinstance(out, ValueOut):
            target[out.key] = convert(out, row[out.index])
        elif isinstance(out, ParentOut):
            target[out.key] = _parent(row, out, version, children)
        elif isinstance(out, TypeOfOut):
            target[out.key] = _typeof(row, out, version, children)
        elif isinstance(out, ChildOut):
            target[out.key] = children.get(out.key, {}).get(row[0])


def _parent(row: Row, out: ParentOut, version: str, children: ChildResults) -> Any:
    parent_id = row[out.id_index]
    if parent_id is None:
        return None
    obj = _object_for(parent_id, out.objects)
    nested: dict[str, Any] = {"attributes": attributes(obj.name, parent_id, version)}
    _fill(nested, row, out.items, version, children)
    return nested


def _typeof(row: Row, out: TypeOfOut, version: str, children: ChildResults) -> Any:
    parent_id = row[out.id_index]
    if parent_id is None:
        return None
    obj = _object_for(parent_id, out.objects)
    items = dict(out.branches).get(obj.name, out.default)
    nested: dict[str, Any] = {"attributes": attributes(obj.name, parent_id, version)}
    _fill(nested, row, items, version, children)
    return nested


def _object_for(record_id: str, objects: tuple[ObjectDef, ...]) -> ObjectDef:
    """The parent's type: the one target, or the polymorphic target whose key prefix matches."""
    if len(objects) == 1:
        return objects[0]
    return next((obj for obj in objects if record_id.startswith(obj.key_prefix)), objects[0])
