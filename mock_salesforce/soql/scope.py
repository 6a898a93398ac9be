"""Names in one FROM clause resolved against the org's schema and the caller's permissions.

A `Scope` owns the SQL alias of its object and the LEFT JOINs its parent paths need
(`Account.Owner.Email` joins Account, then User). Object and field names resolve
case-insensitively; what the caller may not read does not exist (docs/soql.md, "Security"): an
unreadable object is INVALID_TYPE, an unreadable field INVALID_FIELD.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mock_salesforce.schema import FieldDef, ObjectDef, Schema
from mock_salesforce.security import EffectivePermissions, SecurityEvaluator
from mock_salesforce.soql.dates import Calendar
from mock_salesforce.soql.errors import no_such_column, unknown_relationship, unsupported_object
from mock_salesforce.soql.nodes import FieldPath
from mock_salesforce.store.ddl import quote

# The polymorphic "Name" entity Salesforce reports for Who/What/Owner lookups.
POLYMORPHIC_ENTITY = "Name"


@dataclass
class Context:
    """Everything one query execution needs to know about its caller and its org."""

    schema: Schema
    perms: EffectivePermissions
    security: SecurityEvaluator
    now: datetime
    calendar: Calendar = field(default_factory=Calendar)
    include_deleted: bool = False
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def new_alias(self, prefix: str) -> str:
        return f"{prefix}{next(self._numbers)}"

    def readable_object(self, name: str) -> ObjectDef:
        """The object named `name`, or INVALID_TYPE when it is unknown or unreadable."""
        obj = self.schema.object(name)
        if obj is None or not self.perms.object_access(obj).read:
            raise unsupported_object(name)
        return obj

    def can_read(self, obj: ObjectDef, fdef: FieldDef) -> bool:
        return self.perms.can_read_field(obj, fdef)

    def row_filters(self, obj: ObjectDef, alias: str) -> tuple[list[str], list[Any]]:
        """Conditions every row of `obj` must meet: not deleted (unless queryAll), shared."""
        clauses: list[str] = []
        if not self.include_deleted and obj.field("IsDeleted") is not None:
            clauses.append(f'{alias}."IsDeleted" = 0')
        visible, params = self.security.visibility_sql(self.perms, obj, alias)
        if visible != "1":
            clauses.append(visible)
        return clauses, list(params)


@dataclass(frozen=True)
class ParentLink:
    """One step to a parent: its relationship name and the SQL of the parent's Id."""

    name: str
    id_sql: str
    objects: tuple[ObjectDef, ...]
    aliases: tuple[str, ...]

    @property
    def polymorphic(self) -> bool:
        return len(self.objects) > 1


@dataclass(frozen=True)
class Column:
    """A resolved field: its SQL expression, its definition and the parents walked to it."""

    sql: str
    field: FieldDef
    links: tuple[ParentLink, ...] = ()
    is_type: bool = False

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def needs_nocase(self) -> bool:
        """A computed (COALESCE) text value has no column collation; SOQL compares ignoring case."""
        return self.sql.startswith("COALESCE") and self.field.is_text


_TYPE_FIELD = FieldDef(name="Type", type="string")


class Scope:
    """The object of one FROM clause, its alias, and the parent joins its paths use."""

    def __init__(self, ctx: Context, obj: ObjectDef, alias_name: str | None = None) -> None:
        self.ctx = ctx
        self.obj = obj
        self.alias = ctx.new_alias("t")
        self.alias_name = alias_name
        self._links: dict[tuple[str, ...], ParentLink] = {}
        self._joins: list[tuple[str, list[Any]]] = []

    def from_sql(self) -> tuple[str, list[Any]]:
        """`"Contact" t0 LEFT JOIN "Account" t1 ON ...` and the joins' parameters."""
        sql = [f"{quote(self.obj.name)} {self.alias}"]
        params: list[Any] = []
        for join, join_params in self._joins:
            sql.append(join)
            params.extend(join_params)
        return " ".join(sql), params

    def column(self, path: FieldPath) -> Column:
        parts = self._strip_prefix(path.parts)
        links = self._walk(parts[:-1])
        name = parts[-1]
        if not links:
            return self._own_column(name)
        return self._parent_column(links, name)

    def link(self, parts: tuple[str, ...]) -> ParentLink:
        """The parent reached by relationship names `parts` (joined on first use)."""
        links = self._walk(self._strip_prefix((*parts, "Id"))[:-1])
        return links[-1]

    # --- resolution ---------------------------------------------------------------------

    def _strip_prefix(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        """`a.Name` with `FROM Account a`, or `Account.Name` with `FROM Account`."""
        if len(parts) < 2:
            return parts
        head = parts[0].lower()
        if self.alias_name is not None and head == self.alias_name.lower():
            return parts[1:]
        if head == self.obj.name.lower() and self.obj.relationship(parts[0]) is None:
            return parts[1:]
        return parts

    def _own_column(self, name: str) -> Column:
        fdef = self.obj.field(name)
        if fdef is None or not self.ctx.can_read(self.obj, fdef):
            raise no_such_column(name, self.obj.name)
        return Column(f"{self.alias}.{quote(fdef.name)}", fdef)

    def _parent_column(self, links: tuple[ParentLink, ...], name: str) -> Column:
        last = links[-1]
        if last.polymorphic and name.lower() == "type":
            return Column(_type_sql(last), _TYPE_FIELD, links, is_type=True)
        found = [
            (alias, fdef)
            for obj, alias in zip(last.objects, last.aliases, strict=True)
            if (fdef := obj.field(name)) is not None and self.ctx.can_read(obj, fdef)
        ]
        if not found:
            entity = POLYMORPHIC_ENTITY if last.polymorphic else last.objects[0].name
            raise no_such_column(name, entity)
        expressions = [f"{alias}.{quote(fdef.name)}" for alias, fdef in found]
        sql = expressions[0] if len(expressions) == 1 else f"COALESCE({', '.join(expressions)})"
        return Column(sql, found[0][1], links)

    def _walk(self, relationships: tuple[str, ...]) -> tuple[ParentLink, ...]:
        links: list[ParentLink] = []
        for depth in range(len(relationships)):
            key = tuple(part.lower() for part in relationships[: depth + 1])
            link = self._links.get(key)
            if link is None:
                link = self._join(relationships[depth], links[-1] if links else None)
                self._links[key] = link
            links.append(link)
        return tuple(links)

    def _join(self, name: str, parent: ParentLink | None) -> ParentLink:
        if parent is not None and parent.polymorphic:
            raise unknown_relationship(name)
        base_obj = parent.objects[0] if parent else self.obj
        base_alias = parent.aliases[0] if parent else self.alias
        fk = base_obj.relationship(name)
        if fk is None or not fk.relationship_name or not self.ctx.can_read(base_obj, fk):
            raise unknown_relationship(name)
        targets = [self.ctx.schema.object(target) for target in fk.reference_to]
        readable = [t for t in targets if t is not None and self.ctx.perms.object_access(t).read]
        if not readable:
            raise unknown_relationship(name)
        aliases = tuple(self._add_join(t, f"{base_alias}.{quote(fk.name)}") for t in readable)
        ids = [f'{alias}."Id"' for alias in aliases]
        id_sql = ids[0] if len(ids) == 1 else f"COALESCE({', '.join(ids)})"
        return ParentLink(fk.relationship_name, id_sql, tuple(readable), aliases)

    def _add_join(self, target: ObjectDef, foreign_key_sql: str) -> str:
        alias = self.ctx.new_alias("p")
        clauses, params = self.ctx.row_filters(target, alias)
        condition = " AND ".join([f'{alias}."Id" = {foreign_key_sql}', *clauses])
        self._joins.append((f"LEFT JOIN {quote(target.name)} {alias} ON {condition}", params))
        return alias


def _type_sql(link: ParentLink) -> str:
    """`Who.Type`: the parent's object name, read from its id's key prefix."""
    cases = " ".join(f"WHEN '{obj.key_prefix}' THEN '{obj.name}'" for obj in link.objects)
    return f"CASE substr({link.id_sql}, 1, 3) {cases} END"
