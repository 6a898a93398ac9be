"""`TYPEOF What WHEN Account THEN Name, Phone ELSE Name END` (SOQL reference, "TYPEOF").

Each WHEN reads the columns of that one parent type; ELSE reads the polymorphic Name fields.
The shaper picks the branch from the parent id's key prefix.
"""

from __future__ import annotations

from mock_salesforce.soql.errors import MalformedQuery, no_such_column
from mock_salesforce.soql.nodes import FieldPath, TypeOf, TypeOfWhen
from mock_salesforce.soql.outputs import Out, OutputBuilder, TypeOfOut, ValueOut
from mock_salesforce.soql.scope import ParentLink, Scope
from mock_salesforce.store.ddl import quote


def typeof_output(
    item: TypeOf, link: ParentLink, scope: Scope, builder: OutputBuilder
) -> TypeOfOut:
    branches = tuple(
        branch for when in item.whens if (branch := _branch(when, link, scope, builder)) is not None
    )
    default = tuple(
        _else_value(item.relationship, path, scope, builder) for path in item.else_fields
    )
    return TypeOfOut(link.name, builder.column(link.id_sql), link.objects, branches, default)


def _branch(
    when: TypeOfWhen, link: ParentLink, scope: Scope, builder: OutputBuilder
) -> tuple[str, tuple[Out, ...]] | None:
    target = scope.ctx.schema.object(when.sobject)
    if target is None:
        raise MalformedQuery(f"TYPEOF {link.name}: unknown type {when.sobject}")
    names = [obj.name for obj in link.objects]
    if target.name not in names:
        # Not a type this lookup can point to for this caller (unreadable or not a target).
        return None
    alias = link.aliases[names.index(target.name)]
    values: list[Out] = []
    for path in when.fields:
        if len(path.parts) != 1:
            raise MalformedQuery("TYPEOF branches support plain field names only in this mock")
        fdef = target.field(path.name)
        if fdef is None or not scope.ctx.can_read(target, fdef):
            raise no_such_column(path.name, target.name)
        index = builder.column(f"{alias}.{quote(fdef.name)}")
        values.append(ValueOut(fdef.name, index, fdef.type, fdef))
    return target.name, tuple(values)


def _else_value(relationship: str, path: FieldPath, scope: Scope, builder: OutputBuilder) -> Out:
    if len(path.parts) != 1:
        raise MalformedQuery("TYPEOF branches support plain field names only in this mock")
    column = scope.column(FieldPath((relationship, path.name)))
    return ValueOut(column.name, builder.column(column.sql), column.field.type, column.field)
