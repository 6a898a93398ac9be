"""Permission preflight rules for the team sync user (S-02, S-04)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from integration.domain.model import SObject

ACTIVITY_FIELDS: dict[SObject, tuple[str, ...]] = {
    SObject.TASK: (
        "Subject",
        "Description",
        "WhoId",
        "WhatId",
        "OwnerId",
        "Status",
        "TaskSubtype",
        "ActivityDate",
    ),
    SObject.EVENT: (
        "Subject",
        "Description",
        "WhoId",
        "WhatId",
        "OwnerId",
        "StartDateTime",
        "EndDateTime",
    ),
}


@dataclass(frozen=True)
class PermissionGap:
    """One missing permission, by object and (when it is about a field) field."""

    sobject: str
    field: str | None
    missing: str

    def __str__(self) -> str:
        where = f"{self.sobject}.{self.field}" if self.field else self.sobject
        return f"{where}: {self.missing}"


@dataclass(frozen=True)
class FieldAccess:
    name: str
    updateable: bool
    createable: bool
    external_id: bool


@dataclass(frozen=True)
class ObjectAccess:
    """What describe (as the TS user) says the user may do on one object."""

    name: str
    readable: bool
    createable: bool
    updateable: bool
    fields: Mapping[str, FieldAccess]


def object_gaps(
    access: ObjectAccess, needed_fields: Iterable[str], external_id_field: str | None
) -> list[PermissionGap]:
    """Gaps on one object: read, create, edit; read and edit per field; the external id."""
    gaps = [
        PermissionGap(access.name, None, f"no {verb} permission")
        for verb, allowed in (
            ("read", access.readable),
            ("create", access.createable),
            ("edit", access.updateable),
        )
        if not allowed
    ]
    for name in needed_fields:
        field = access.fields.get(name)
        if field is None:
            gaps.append(PermissionGap(access.name, name, "no read permission"))
        elif not (field.updateable or field.createable):
            gaps.append(PermissionGap(access.name, name, "no edit permission"))
    if external_id_field is not None:
        ext = access.fields.get(external_id_field)
        if ext is None or not ext.external_id:
            gaps.append(PermissionGap(access.name, external_id_field, "external id field missing"))
    return gaps


def view_all_gaps(
    pulled: Iterable[SObject], view_all: Mapping[str, bool], view_all_data: bool
) -> list[PermissionGap]:
    """S-04 / X-31: pulls run as TS, so pulled objects need View All (or View All Data)."""
    if view_all_data:
        return []
    return [
        PermissionGap(sobject.value, None, "no View All permission (pull limited by sharing)")
        for sobject in pulled
        if not view_all.get(sobject.value, False)
    ]
