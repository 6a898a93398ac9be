"""Building blocks for describing objects as data: fields, lookups, system and audit fields."""

from __future__ import annotations

from typing import Any

from .model import FieldDef, ObjectDef


def f(name: str, type_: str, label: str = "", **attrs: Any) -> FieldDef:
    """A field; ``label`` defaults to the API name split on capitals."""
    if "length" not in attrs and type_ in ("string", "phone", "email", "url", "combobox"):
        attrs["length"] = 255 if type_ != "phone" else 40
    if "length" not in attrs and type_ in ("picklist", "multipicklist"):
        attrs["length"] = 255 if type_ == "picklist" else 4099
    if "length" not in attrs and type_ == "textarea":
        attrs["length"] = 32000
    if type_ in ("id", "reference") and "length" not in attrs:
        attrs["length"] = 18
    return FieldDef(name=name, type=type_, label=label or _label(name), **attrs)


def ref(name: str, *targets: str, relationship: str | None = None, **attrs: Any) -> FieldDef:
    """A lookup field; the relationship name defaults to the field name without ``Id``."""
    rel = relationship if relationship is not None else name.removesuffix("Id")
    return f(name, "reference", reference_to=tuple(targets), relationship_name=rel, **attrs)


def _label(name: str) -> str:
    out = []
    for index, char in enumerate(name):
        if char.isupper() and index and not name[index - 1].isupper():
            out.append(" ")
        out.append(char)
    return "".join(out).removesuffix(" Id").replace("Is ", "")


def derived_flag(name: str, label: str, rule: str) -> FieldDef:
    """A read-only checkbox Salesforce computes on save (``IsClosed``, ``IsWon``, ...)."""
    return f(
        name,
        "boolean",
        label,
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
        derived=rule,
    )


def picklist(name: str, values: tuple[str, ...], **attrs: Any) -> FieldDef:
    return f(name, "picklist", picklist=values, **attrs)


SYSTEM: dict[str, Any] = {"createable": False, "updateable": False, "permissionable": False}


def audit_fields() -> tuple[FieldDef, ...]:
    """The audit and system fields every data object carries (API guide, "System Fields")."""
    return (
        f(
            "IsDeleted",
            "boolean",
            "Deleted",
            nillable=False,
            defaulted_on_create=True,
            default=False,
            **SYSTEM,
        ),
        f(
            "CreatedDate",
            "datetime",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        ref(
            "CreatedById",
            "User",
            label="Created By ID",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        f(
            "LastModifiedDate",
            "datetime",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        ref(
            "LastModifiedById",
            "User",
            label="Last Modified By ID",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        f(
            "SystemModstamp",
            "datetime",
            "System Modstamp",
            nillable=False,
            defaulted_on_create=True,
            **SYSTEM,
        ),
    )


def id_field() -> FieldDef:
    return f(
        "Id", "id", "Record ID", nillable=False, defaulted_on_create=True, id_lookup=True, **SYSTEM
    )


def owner_field(*targets: str) -> FieldDef:
    return ref(
        "OwnerId",
        *(targets or ("User",)),
        label="Owner ID",
        nillable=False,
        defaulted_on_create=True,
        permissionable=False,
    )


def data_object(
    name: str,
    prefix: str,
    label: str,
    plural: str,
    *fields: FieldDef,
    owner: tuple[str, ...] = ("User",),
) -> ObjectDef:
    head = [id_field()]
    if owner:
        head.append(owner_field(*owner))
    return ObjectDef(
        name=name,
        key_prefix=prefix,
        label=label,
        label_plural=plural,
        fields=(*head, *fields, *audit_fields()),
        has_owner=bool(owner),
    )


def setup_object(name: str, prefix: str, label: str, plural: str, *fields: FieldDef) -> ObjectDef:
    return ObjectDef(
        name=name,
        key_prefix=prefix,
        label=label,
        label_plural=plural,
        fields=(id_field(), *fields, *audit_fields()),
        setup=True,
        has_owner=False,
        createable=False,
        updateable=False,
        deletable=False,
    )


SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx.")


def person_name_fields() -> tuple[FieldDef, ...]:
    return (
        f("LastName", "string", length=80, nillable=False),
        f("FirstName", "string", length=40),
        picklist("Salutation", SALUTATIONS),
        f(
            "Name",
            "string",
            "Full Name",
            length=121,
            name_field=True,
            derived="full_name",
            createable=False,
            updateable=False,
        ),
    )
