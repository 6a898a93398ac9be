"""sObject metadata as data: objects, fields, types, relationships.

Names are looked up case-insensitively, as Salesforce does, and always reported in their
canonical API spelling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

# Salesforce describe type -> SQLite storage (column affinity and collation).
TEXT_TYPES = frozenset(
    {
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "combobox",
        "phone",
        "email",
        "url",
        "encryptedstring",
        "address",
        "base64",
    }
)
SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "int": "xsd:int",
}


@dataclass(frozen=True)
class FieldDef:
    """One field of an sObject, with the describe attributes the mock needs."""

    name: str
    type: str
    label: str = ""
    length: int = 0
    precision: int = 0
    scale: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    defaulted_on_create: bool = False
    default: Any = None
    picklist: tuple[str, ...] = ()
    restricted_picklist: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    external_id: bool = False
    unique: bool = False
    case_sensitive: bool = False
    custom: bool = False
    name_field: bool = False
    id_lookup: bool = False
    # How the store derives the value ("full_name", "task_account", ...); None = stored as sent.
    derived: str | None = None
    # Always readable and editable regardless of field permissions (required/system fields).
    permissionable: bool = True
    audit: bool = False

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def is_reference(self) -> bool:
        return self.type in ("reference", "id")

    @property
    def is_polymorphic(self) -> bool:
        return len(self.reference_to) > 1

    @property
    def required_on_create(self) -> bool:
        """Describe's recipe: createable, not nillable and not defaulted on create."""
        return self.createable and not self.nillable and not self.defaulted_on_create

    @property
    def sql_type(self) -> str:
        if self.type == "boolean" or self.type == "int":
            return "INTEGER"
        if self.type in ("double", "currency", "percent"):
            return "REAL"
        if self.is_text and not self.case_sensitive:
            return "TEXT COLLATE NOCASE"
        return "TEXT"

    @property
    def soap_type(self) -> str:
        return SOAP_TYPES.get(self.type, "xsd:string")


@dataclass(frozen=True)
class ChildRelationship:
    """A child relationship as describe lists it (``Contacts`` on Account via AccountId)."""

    relationship_name: str
    child_object: str
    field: str
    cascade_delete: bool = False


@dataclass(frozen=True)
class ObjectDef:
    """One sObject: its key prefix, flags and fields in describe order."""

    name: str
    key_prefix: str
    label: str
    label_plural: str
    fields: tuple[FieldDef, ...]
    custom: bool = False
    # Setup objects are not owned, not shareable and only writable through the control plane.
    setup: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    has_owner: bool = True
    _by_lower: dict[str, FieldDef] = field(default_factory=dict, compare=False, repr=False)
    _by_relationship: dict[str, FieldDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})
        self._by_relationship.update(
            {f.relationship_name.lower(): f for f in self.fields if f.relationship_name}
        )

    def field(self, name: str) -> FieldDef | None:
        """The field named ``name`` in any letter case, or None."""
        return self._by_lower.get(name.lower())

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field behind parent relationship ``name`` (``Owner`` -> OwnerId)."""
        return self._by_relationship.get(name.lower())

    def with_fields(self, extra: Iterable[FieldDef]) -> ObjectDef:
        """A copy with ``extra`` fields appended (custom fields added per org)."""
        return replace(self, fields=self.fields + tuple(extra), _by_lower={}, _by_relationship={})

    @property
    def name_field(self) -> FieldDef | None:
        return next((f for f in self.fields if f.name_field), None)

    # What every write asks of the fields, worked out once per object definition (a custom
    # field makes a new ObjectDef, so these never go stale).
    @cached_property
    def defaults(self) -> tuple[tuple[str, Any], ...]:
        """(name, default) of the fields with a default value, in field order."""
        return tuple((f.name, f.default) for f in self.fields if f.default is not None)

    @cached_property
    def required_on_create(self) -> frozenset[str]:
        """The fields a create must set (``FieldDef.required_on_create``)."""
        return frozenset(f.name for f in self.fields if f.required_on_create)

    @cached_property
    def non_nillable(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if not f.nillable)

    @cached_property
    def unique_fields(self) -> tuple[FieldDef, ...]:
        """Fields whose values must be unique, Id aside."""
        return tuple(f for f in self.fields if f.unique and f.name != "Id")

    @cached_property
    def derived_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.derived is not None)


class Schema:
    """The objects of one org (the standard set plus that org's custom fields)."""

    def __init__(self, objects: Iterable[ObjectDef]) -> None:
        self._objects: dict[str, ObjectDef] = {o.name.lower(): o for o in objects}
        self._by_prefix: dict[str, ObjectDef] = {o.key_prefix: o for o in self._objects.values()}
        self._children: dict[str, list[ChildRelationship]] = {}
        for obj in self._objects.values():
            for fdef in obj.fields:
                if not fdef.relationship_name:
                    continue
                for parent in fdef.reference_to:
                    child_name = _child_relationship_name(obj, fdef, parent)
                    if child_name:
                        self._children.setdefault(parent.lower(), []).append(
                            ChildRelationship(child_name, obj.name, fdef.name)
                        )

    def __iter__(self) -> Iterator[ObjectDef]:
        return iter(self._objects.values())

    def object(self, name: str) -> ObjectDef | None:
        """The object named ``name`` in any letter case, or None."""
        return self._objects.get(name.lower())

    def by_prefix(self, prefix: str) -> ObjectDef | None:
        """The object whose ids start with ``prefix``."""
        return self._by_prefix.get(prefix)

    def child_relationships(self, parent: str) -> list[ChildRelationship]:
        return list(self._children.get(parent.lower(), []))

    def child_relationship(self, parent: str, name: str) -> ChildRelationship | None:
        lowered = name.lower()
        return next(
            (
                c
                for c in self._children.get(parent.lower(), [])
                if c.relationship_name.lower() == lowered
            ),
            None,
        )

    def with_object(self, obj: ObjectDef) -> Schema:
        return self.with_objects([obj])

    def with_objects(self, replaced: Iterable[ObjectDef]) -> Schema:
        """A copy in which each of ``replaced`` takes the place of the object of its name."""
        objects = dict(self._objects)
        for obj in replaced:
            objects[obj.name.lower()] = obj
        return Schema(objects.values())


# Child relationship names Salesforce uses for the standard lookups the mock models.
_CHILD_NAMES = {
    ("Contact", "AccountId"): "Contacts",
    ("Opportunity", "AccountId"): "Opportunities",
    ("Task", "WhoId"): "Tasks",
    ("Task", "WhatId"): "Tasks",
    ("Event", "WhoId"): "Events",
    ("Event", "WhatId"): "Events",
    ("Task", "AccountId"): None,
    ("Event", "AccountId"): None,
    ("Account", "ParentId"): "ChildAccounts",
    ("PermissionSetAssignment", "AssigneeId"): "PermissionSetAssignments",
    ("PermissionSetAssignment", "PermissionSetId"): "Assignments",
    ("ObjectPermissions", "ParentId"): "ObjectPerms",
    ("FieldPermissions", "ParentId"): "FieldPerms",
    ("User", "ProfileId"): "Users",
}


def _child_relationship_name(obj: ObjectDef, fdef: FieldDef, parent: str) -> str | None:
    key = (obj.name, fdef.name)
    if key in _CHILD_NAMES:
        return _CHILD_NAMES[key]
    if fdef.custom:
        return f"{obj.name.removesuffix('__c')}s__r"
    return None
