"""``/parameterizedSearch``: the same search, asked for with parameters instead of SOSL.

GET: ``q``, ``in``, ``sobject`` (repeatable), ``<Obj>.fields``, ``<Obj>.where``,
``<Obj>.orderBy``, ``<Obj>.limit``, ``fields``, ``defaultLimit``, ``overallLimit``. POST: a JSON
body with ``q``, ``in``, ``fields``, ``sobjects`` (``name``, ``fields``, ``where``, ``orderBy``,
``limit``), ``defaultLimit`` and ``overallLimit``. ``q`` is the search term alone, SOSL clauses
are not allowed in it (REST guide, "Parameterized Search"; shared reference part 2 §3.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from .parser import MAX_LIMIT, SCOPES, ObjectSpec, SearchRequest
from .terms import TermError, parse_term


def from_query_string(args: Mapping[str, Any], objects: list[str]) -> SearchRequest:
    """A GET's parameters (``objects`` are the repeated ``sobject`` values)."""
    default_limit = _limit(args.get("defaultLimit"), "defaultLimit")
    specs = tuple(
        ObjectSpec(
            name,
            _fields(args.get(f"{name}.fields")),
            args.get(f"{name}.where"),
            args.get(f"{name}.orderBy"),
            _limit(args.get(f"{name}.limit"), f"{name}.limit") or default_limit,
        )
        for name in objects
    )
    return _request(args.get("q"), args.get("in"), specs, args.get("overallLimit"), args)


def from_body(body: Any) -> SearchRequest:
    """A POST's JSON body."""
    if not isinstance(body, Mapping):
        raise errors.JsonParserError("Cannot deserialize instance of ParameterizedSearch")
    default_limit = _limit(body.get("defaultLimit"), "defaultLimit")
    raw_objects = body.get("sobjects") or []
    if not isinstance(raw_objects, list) or not all(isinstance(o, Mapping) for o in raw_objects):
        raise errors.JsonParserError("sobjects must be an array of objects")
    specs = tuple(
        ObjectSpec(
            str(item.get("name") or ""),
            _fields(item.get("fields")),
            item.get("where"),
            item.get("orderBy"),
            _limit(item.get("limit"), "limit") or default_limit,
        )
        for item in raw_objects
    )
    return _request(body.get("q"), body.get("in"), specs, body.get("overallLimit"), body)


def _request(
    q: Any, scope: Any, specs: tuple[ObjectSpec, ...], overall: Any, source: Mapping[str, Any]
) -> SearchRequest:
    if not isinstance(q, str) or not q.strip():
        raise errors.MissingArgument("Missing argument: q")
    scope_name = str(scope or "ALL").upper()
    if scope_name not in SCOPES:
        raise errors.InvalidSearch(f"Invalid value for in: {scope}")
    if "defaultLimit" in source and not specs:
        raise errors.InvalidSearch("defaultLimit needs at least one sobject")
    try:
        term = parse_term(q)
    except TermError as exc:
        raise errors.MalformedSearch(f"line 1:{exc.offset + 1} {exc.reason}") from None
    limit = _limit(overall, "overallLimit") or MAX_LIMIT
    return SearchRequest(term, scope_name, specs, limit, _fields(source.get("fields")), q)


def _fields(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    if isinstance(value, str):
        return value
    raise errors.JsonParserError(f"fields must be a list of field names, not {value!r}")


def _limit(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise errors.InvalidSearch(f"{name} must be a number: {value}") from None
    if not 0 < number <= MAX_LIMIT:
        raise errors.InvalidSearch(f"{name} must be between 1 and {MAX_LIMIT}: {value}")
    return number
