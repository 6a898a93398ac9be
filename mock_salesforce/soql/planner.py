"""From a parsed query to a compiled plan, for one caller in one org.

Names resolve against the org's schema through the caller's permissions (`Scope`); sharing and
deletion filters are added to every object read (main, child, semi-join and parent joins).
"""

from __future__ import annotations

from typing import Any

from mock_salesforce.soql.conditions import ConditionCompiler, Sql
from mock_salesforce.soql.errors import MalformedQuery, NumberOutsideValidRange
from mock_salesforce.soql.errors import unknown_child_relationship as unknown_child
from mock_salesforce.soql.expressions import operand_expr, sort_key_sql, usable_for
from mock_salesforce.soql.nodes import (
    Aggregate,
    ChildQuery,
    DateFunctionCall,
    FieldFunctionCall,
    FieldPath,
    FieldsKind,
    FieldsMacro,
    OrderKey,
    Query,
    SelectItem,
    TypeOf,
)
from mock_salesforce.soql.outputs import OutputBuilder, ValueOut
from mock_salesforce.soql.plan import AggregatePlan, CountPlan, Plan, SelectPlan
from mock_salesforce.soql.scope import Context, Scope
from mock_salesforce.soql.typeof import typeof_output
from mock_salesforce.store.ddl import quote

MAX_OFFSET = 2000


def plan_query(query: Query, ctx: Context) -> Plan:
    """Compile `query` for the caller described by `ctx`."""
    _check_offset(query)
    scope = Scope(ctx, ctx.readable_object(query.sobject), query.alias)
    filters, params = _filters(query, scope)
    if query.is_count_only:
        return _count_plan(query, scope, filters, params)
    if query.is_aggregate:
        return _aggregate_plan(query, scope, filters, params)
    return _select_plan(query, scope, filters, params)


def _count_plan(query: Query, scope: Scope, filters: list[str], params: list[Any]) -> CountPlan:
    """`SELECT COUNT() ...`: the number of rows (of groups, with GROUP BY)."""
    group = _group_sql(query, scope)
    from_sql, from_params = scope.from_sql()
    return CountPlan(
        from_sql=from_sql,
        from_params=tuple(from_params),
        filters=tuple(filters),
        filter_params=tuple(params),
        limit=query.limit,
        offset=query.offset,
        group_sql=f" GROUP BY {', '.join(group)}" if group else "",
    )


def _check_offset(query: Query) -> None:
    if query.offset is not None and query.offset > MAX_OFFSET:
        raise NumberOutsideValidRange(f"Maximum SOQL offset allowed is {MAX_OFFSET}", fields=None)


def _filters(query: Query, scope: Scope) -> tuple[list[str], list[Any]]:
    clauses, params = scope.ctx.row_filters(scope.obj, scope.alias)
    if query.using_scope == "mine" and scope.obj.field("OwnerId") is not None:
        clauses.append(f'{scope.alias}."OwnerId" = ?')
        params.append(scope.ctx.perms.user.user_id)
    if query.where is not None:
        sql, where_params = ConditionCompiler(scope, compile_semi_join).compile(query.where)
        clauses.append(sql)
        params.extend(where_params)
    return clauses, params


def compile_semi_join(subquery: Query, outer: Scope) -> Sql:
    """`SELECT AccountId FROM Contact WHERE ...` as an SQL subquery (nulls left out)."""
    scope = Scope(outer.ctx, outer.ctx.readable_object(subquery.sobject), subquery.alias)
    item = subquery.select[0]
    if not isinstance(item, FieldPath):
        raise MalformedQuery("The inner select of a semi-join must select one field")
    column = scope.column(item)
    if column.field.type not in ("id", "reference"):
        raise MalformedQuery(
            f"The selected field in a semi join must be an id or reference: {column.name}"
        )
    filters, params = _filters(subquery, scope)
    from_sql, from_params = scope.from_sql()
    where = " AND ".join([f"{column.sql} IS NOT NULL", *filters])
    return f"SELECT {column.sql} FROM {from_sql} WHERE {where}", [*from_params, *params]


def _select_plan(
    query: Query,
    scope: Scope,
    filters: list[str],
    params: list[Any],
    parent_key_sql: str | None = None,
    relationship: str | None = None,
) -> SelectPlan:
    builder = OutputBuilder()
    builder.column(f'{scope.alias}."Id"')
    if parent_key_sql is not None:
        builder.column(parent_key_sql)
    for item in query.select:
        _add_item(item, scope, builder)
    if any(isinstance(key.operand, Aggregate) for key in query.order_by):
        raise MalformedQuery("Aggregate functions in ORDER BY need an aggregate query")
    order_sql = _order_sql(query.order_by, scope, tiebreak=f"{scope.alias}.rowid")
    from_sql, from_params = scope.from_sql()
    return SelectPlan(
        obj=scope.obj,
        alias=scope.alias,
        columns=tuple(builder.columns),
        from_sql=from_sql,
        from_params=tuple(from_params),
        filters=tuple(filters),
        filter_params=tuple(params),
        order_sql=order_sql,
        limit=query.limit,
        offset=query.offset,
        outputs=builder.outputs(),
        relationship=relationship,
        parent_key_sql=parent_key_sql,
    )


def _add_item(item: SelectItem, scope: Scope, builder: OutputBuilder) -> None:
    if isinstance(item, FieldPath):
        builder.add_field(scope.column(item))
    elif isinstance(item, FieldsMacro):
        for fdef in scope.obj.fields:
            wanted = item.kind is FieldsKind.ALL or fdef.custom == (item.kind is FieldsKind.CUSTOM)
            if wanted and scope.ctx.can_read(scope.obj, fdef):
                builder.add_field(scope.column(FieldPath((fdef.name,))), from_macro=True)
    elif isinstance(item, FieldFunctionCall) and isinstance(item.argument, FieldPath):
        column = scope.column(item.argument)
        if item.alias is None:
            builder.add_field(column)
        else:
            builder.add_value(item.alias, column.sql, column.field.type, column.field)
    elif isinstance(item, TypeOf):
        link = scope.link((item.relationship,))
        builder.add_typeof(link, typeof_output(item, link, scope, builder))
    elif isinstance(item, ChildQuery):
        child = _child_plan(item.query, scope)
        builder.add_child(child.relationship or item.query.sobject, child)
    else:
        raise MalformedQuery("Date functions and aggregates need GROUP BY or an aggregate query")


def _child_plan(subquery: Query, parent: Scope) -> SelectPlan:
    ctx = parent.ctx
    relationship = ctx.schema.child_relationship(parent.obj.name, subquery.sobject)
    child_obj = ctx.schema.object(relationship.child_object) if relationship else None
    if relationship is None or child_obj is None or not ctx.perms.object_access(child_obj).read:
        raise unknown_child(subquery.sobject)
    foreign_key = child_obj.field(relationship.field)
    if foreign_key is None or not ctx.can_read(child_obj, foreign_key):
        raise unknown_child(subquery.sobject)
    if subquery.is_aggregate or subquery.is_count_only:
        raise MalformedQuery("Aggregate functions are not supported in a child relationship query")
    _check_offset(subquery)
    scope = Scope(ctx, child_obj, subquery.alias)
    filters, params = _filters(subquery, scope)
    key_sql = f"{scope.alias}.{quote(foreign_key.name)}"
    return _select_plan(subquery, scope, filters, params, key_sql, relationship.relationship_name)


def _aggregate_plan(
    query: Query, scope: Scope, filters: list[str], params: list[Any]
) -> AggregatePlan:
    builder = OutputBuilder()
    _add_aggregate_items(query, scope, builder)
    group = _group_sql(query, scope)
    having_sql, having_params = "", list[Any]()
    if query.having is not None:
        compiler = ConditionCompiler(scope, compile_semi_join, clause="HAVING")
        sql, having_params = compiler.compile(query.having)
        having_sql = f" HAVING {sql}"
    order_sql = _order_sql(query.order_by, scope, tiebreak=None)
    from_sql, from_params = scope.from_sql()
    outputs = tuple(out for out in builder.outputs() if isinstance(out, ValueOut))
    return AggregatePlan(
        columns=tuple(builder.columns),
        from_sql=from_sql,
        from_params=tuple(from_params),
        filters=tuple(filters),
        filter_params=tuple(params),
        group_sql=f" GROUP BY {', '.join(group)}" if group else "",
        having_sql=having_sql,
        having_params=tuple(having_params),
        order_sql=order_sql,
        limit=query.limit,
        offset=query.offset,
        outputs=outputs,
    )


def _add_aggregate_items(query: Query, scope: Scope, builder: OutputBuilder) -> None:
    """Grouped fields keep their name; unaliased expressions are expr0, expr1, ..."""
    unnamed = 0
    for item in query.select:
        target = item.argument if isinstance(item, FieldFunctionCall) else item
        if isinstance(target, FieldPath):
            column = scope.column(target)
            builder.add_value(column.name, column.sql, column.field.type, column.field)
            continue
        if not isinstance(target, Aggregate | DateFunctionCall):
            raise MalformedQuery(f"{type(item).__name__} cannot be used in an aggregate query")
        expr = operand_expr(target, scope)
        alias = item.alias if isinstance(item, FieldFunctionCall) else target.alias
        if alias is None:
            alias, unnamed = f"expr{unnamed}", unnamed + 1
        builder.add_value(alias, expr.sql, expr.kind, expr.field)


def _group_sql(query: Query, scope: Scope) -> list[str]:
    if any(isinstance(operand, Aggregate) for operand in query.group_by):
        raise MalformedQuery("Aggregate functions cannot be used in a GROUP BY clause")
    return [usable_for(operand_expr(op, scope), "grouped").sql for op in query.group_by]


def _order_sql(keys: tuple[OrderKey, ...], scope: Scope, tiebreak: str | None) -> str:
    parts = []
    for key in keys:
        expr = usable_for(operand_expr(key.operand, scope), "sorted")
        direction = "DESC" if key.descending else "ASC"
        nulls = "FIRST" if key.nulls_first else "LAST"
        parts.append(f"{sort_key_sql(expr)} {direction} NULLS {nulls}")
    if tiebreak is not None:
        parts.append(tiebreak)
    return f" ORDER BY {', '.join(parts)}" if parts else ""
