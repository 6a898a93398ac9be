"""Running a search as the caller: which objects, which fields are searched, which records.

Every object is read through the SOQL engine as the caller, so object permissions,
field-level security and sharing are the ones SOQL applies: a record the caller cannot see is
never found, and only fields they can read are searched. Results come object by object (in
``RETURNING`` order, or describe order without it), each object's records ordered by its
``ORDER BY`` or else by its name field, cut at the object's ``LIMIT`` and the overall limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import errors
from ..schema import FieldDef, ObjectDef
from ..soql import engine
from ..soql.engine import Caller
from ..soql.errors import MalformedQuery
from .parser import ObjectSpec, SearchRequest
from .terms import matches

TEXT_TYPES = frozenset({"string", "textarea", "email", "phone", "url", "picklist"})
_SCOPE_TYPES = {"EMAIL": frozenset({"email"}), "PHONE": frozenset({"phone"})}


def run_search(session: Caller, request: SearchRequest, version: str) -> list[dict[str, Any]]:
    """The records matching ``request`` that the session's user can see, as REST shapes them."""
    specs = request.objects or _every_object(session, request.default_fields)
    found: list[dict[str, Any]] = []
    for spec in specs:
        room = request.limit - len(found)
        if room <= 0:
            break
        obj = _object(session, spec.name)
        ids = _matching_ids(session, obj, spec, request, version)
        # Run even without matches: the field list and clauses are checked all the same.
        found.extend(_records(session, obj, spec, ids, room, version, request.default_fields))
    return found


def _every_object(session: Caller, fields: str | None) -> tuple[ObjectSpec, ...]:
    """Without RETURNING: every data object the user can read (setup objects are not searched)."""
    return tuple(
        ObjectSpec(obj.name, fields)
        for obj in session.org.schema
        if not obj.setup and session.perms.object_access(obj).read
    )


def _object(session: Caller, name: str) -> ObjectDef:
    obj = session.org.schema.object(name)
    if obj is None or obj.setup or not session.perms.object_access(obj).read:
        raise errors.InvalidType(
            f"sObject type '{name}' is not supported. If you are attempting to use a custom "
            "object, be sure to append the '__c' after the entity name."
        )
    return obj


def searched_fields(session: Caller, obj: ObjectDef, scope: str) -> list[FieldDef]:
    """The fields ``IN <scope> FIELDS`` searches that the user may read."""
    readable = [f for f in obj.fields if session.perms.can_read_field(obj, f)]
    if scope in _SCOPE_TYPES:
        return [f for f in readable if f.type in _SCOPE_TYPES[scope]]
    names = [f for f in readable if f.name_field or f.name in ("FirstName", "LastName")]
    if scope == "NAME":
        return names
    if scope == "SIDEBAR":
        extra = [f for f in readable if f.type in ("email", "phone") and f not in names]
        return names + extra
    return [f for f in readable if f.type in TEXT_TYPES and f.name != "Id"]


def _matching_ids(
    session: Caller, obj: ObjectDef, spec: ObjectSpec, request: SearchRequest, version: str
) -> list[str]:
    fields = searched_fields(session, obj, request.scope)
    if not fields:
        return []
    select = ", ".join(["Id", *(f.name for f in fields)])
    soql = f"SELECT {select} FROM {obj.name}"
    if spec.where:
        soql += f" WHERE {spec.where}"
    ids = []
    for record in _all_records(session, soql, version):
        texts = [str(value) for f in fields if (value := record.get(f.name))]
        if texts and matches(request.term, texts):
            ids.append(str(record["Id"]))
    return ids


def _records(
    session: Caller,
    obj: ObjectDef,
    spec: ObjectSpec,
    ids: list[str],
    room: int,
    version: str,
    default_fields: str | None,
) -> list[dict[str, Any]]:
    quoted = ", ".join(f"'{record_id}'" for record_id in ids)
    chosen = f"Id IN ({quoted})" if ids else "Id = null"
    soql = f"SELECT {spec.fields or default_fields or 'Id'} FROM {obj.name} WHERE {chosen}"
    if spec.where:
        soql += f" AND ({spec.where})"
    name_field = obj.name_field
    soql += f" ORDER BY {spec.order_by or (name_field.name if name_field else 'Id')}"
    soql += f" LIMIT {min(room, spec.limit if spec.limit is not None else room)}"
    if spec.offset:
        soql += f" OFFSET {spec.offset}"
    return list(_all_records(session, soql, version))


def _all_records(session: Caller, soql: str, version: str) -> Iterable[dict[str, Any]]:
    """Every record of a SOQL query, page after page; SOQL syntax errors are search errors."""
    try:
        result = engine.execute(session, soql, version=version)
        yield from result.records
        while result.next_records_url:
            locator = result.next_records_url.rsplit("/", 1)[1]
            result = engine.next_page(session, locator, version=version)
            yield from result.records
    except MalformedQuery as exc:
        raise errors.MalformedSearch(exc.message) from None
