"""Upsert by external id (REST guide, "Insert or Update (Upsert) a Record Using an External ID").

No match inserts (with the external id set from the URL), one match updates, several matches
are refused with the list of their URLs (HTTP 300 on the sObject resource,
DUPLICATE_EXTERNAL_ID in collections). Matching compares text without case, as Salesforce
does for external ids that are not case-sensitive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import errors
from ..schema import FieldDef, ObjectDef
from . import dml
from .context import Caller, readable_object, record_id_in_url, require, visible_row
from .reads import external_id_field, match_external_id


class MultipleMatches(Exception):
    """More than one record has the external id; ``urls`` lists them."""

    def __init__(self, fdef: FieldDef, ids: list[str], urls: list[str]) -> None:
        self.ids = ids
        self.urls = urls
        self.fdef = fdef
        super().__init__(f"{len(ids)} records match")

    def as_error(self) -> errors.SalesforceError:
        """The collection form: DUPLICATE_EXTERNAL_ID naming the matches."""
        return errors.DuplicateExternalId(
            f"{self.fdef.name}: more than one record found for external id field: "
            f"[{', '.join(self.ids)}]",
            [self.fdef.name],
        )


@dataclass(frozen=True)
class UpsertResult:
    id: str
    created: bool


def upsert(
    caller: Caller,
    sobject: str,
    field: str,
    value: str,
    body: Any,
    update_only: bool = False,
) -> UpsertResult:
    """``PATCH /sobjects/{Obj}/{ExtField}/{value}``: one transaction."""
    obj = readable_object(caller, sobject)
    fdef = external_id_field(caller, obj, field)
    record = dml.body_object(body, obj)
    with caller.store.transaction():
        return upsert_checked(caller, obj, fdef, value, record, update_only)


def _without_external_id(fdef: FieldDef, value: Any, record: Mapping[str, Any]) -> dict[str, Any]:
    """The body without the external id, which may repeat the URL's value but not differ."""
    fields = {k: v for k, v in record.items() if k != "attributes"}
    for key in [k for k in fields if k.lower() == fdef.name.lower()]:
        sent = fields.pop(key)
        if sent is not None and str(sent).lower() != str(value).lower():
            raise errors.InvalidField(
                f"{fdef.name}: the value in the body does not match the external id "
                f"{value} of the URL",
                [fdef.name],
            )
    if value is None or value == "":
        raise errors.MissingArgument(f"Missing value for external id field: {fdef.name}")
    return fields


def upsert_checked(
    caller: Caller,
    obj: ObjectDef,
    fdef: FieldDef,
    value: Any,
    record: Mapping[str, Any],
    update_only: bool = False,
) -> UpsertResult:
    """Upsert one record inside the caller's transaction."""
    fields = _without_external_id(fdef, value, record)
    if fdef.name == "Id":
        record_id = record_id_in_url(obj, str(value), writing=True)
        visible_row(caller, obj, record_id)
        dml.change_checked(caller, obj, record_id, fields)
        return UpsertResult(record_id, created=False)
    matches = match_external_id(caller, obj, fdef, str(value))
    if len(matches) > 1:
        found = [str(m["Id"]) for m in matches]
        raise MultipleMatches(fdef, found, [caller.record_url(obj, i) for i in found])
    if matches:
        record_id = str(matches[0]["Id"])
        dml.change_checked(caller, obj, record_id, fields)
        return UpsertResult(record_id, created=False)
    if update_only:
        raise errors.NotFound()
    require(caller, obj, "create")
    return UpsertResult(dml.insert_checked(caller, obj, {**fields, fdef.name: value}), True)
