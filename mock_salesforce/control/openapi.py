"""The control plane's input contract, declared once: it checks bodies and describes the API.

A view declares what its JSON body accepts with ``@accepts(...)`` and its query parameters with
``@query(...)``; ``common.body()`` checks every body against the declaration of the view being
served, and ``describe(app)`` turns the same declarations and the URL map into the OpenAPI
document served at ``/_mock/openapi.json``. What is checked is what is documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask

from ..errors import ControlError

F = TypeVar("F", bound=Callable[..., Any])
JSON_TYPES: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
}
HTML_PAGES = "/_mock/ui"  # the dashboard's pages: HTML for people, not this JSON API
_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


@dataclass(frozen=True)
class BodySchema:
    fields: Mapping[str, type]
    required: tuple[str, ...] = ()
    closed: bool = False

    def check(self, data: Mapping[str, Any]) -> None:
        if self.closed and (unknown := sorted(set(data) - set(self.fields))):
            known = ", ".join(self.fields)
            raise ControlError(f"unknown field(s) {', '.join(unknown)}; known: {known}")
        for name, kind in self.fields.items():
            value = data.get(name)
            if value is not None and not _is(value, kind):
                raise ControlError(f"'{name}' must be a JSON {JSON_TYPES[kind]}")
        for name in self.required:
            if data.get(name) in (None, ""):
                raise ControlError(f"'{name}' is required")

    def to_json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {n: {"type": JSON_TYPES[k]} for n, k in self.fields.items()},
            "additionalProperties": not self.closed,
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema


def _is(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def accepts(
    fields: Mapping[str, type], required: Iterable[str] = (), closed: bool = False
) -> Callable[[F], F]:
    """Declare the JSON body of a view: field types, required fields, and whether other fields
    are refused (``closed``)."""

    def mark(view: F) -> F:
        view.body_schema = BodySchema(dict(fields), tuple(required), closed)  # type: ignore[attr-defined]
        return view

    return mark


def query(*names: str) -> Callable[[F], F]:
    """Declare the query parameters a view reads."""

    def mark(view: F) -> F:
        view.query_names = names  # type: ignore[attr-defined]
        return view

    return mark


def check_body(view: Callable[..., Any] | None, data: Mapping[str, Any]) -> None:
    schema: BodySchema | None = getattr(view, "body_schema", None)
    if schema is not None:
        schema.check(data)


def describe(app: Flask) -> dict[str, Any]:
    """OpenAPI 3.1 for every ``/_mock`` route of ``app`` (the control blueprint's and those
    other areas add under ``/_mock``, such as the bulk knobs)."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_mock/") or rule.rule.startswith(HTML_PAGES):
            continue
        view = app.view_functions[rule.endpoint]
        path = _PATH_PARAM.sub(r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, view, path)
    return {
        "openapi": "3.1.0",
        "info": {"title": "mock-salesforce control plane", "version": _version()},
        "paths": dict(sorted(paths.items())),
    }


def _operation(endpoint: str, view: Callable[..., Any], path: str) -> dict[str, Any]:
    doc = (view.__doc__ or endpoint.rpartition(".")[2].replace("_", " ")).strip()
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{([a-z_]+)}", path)
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in getattr(view, "query_names", ())
    ]
    operation: dict[str, Any] = {
        "operationId": endpoint.rpartition(".")[2],
        "summary": doc.splitlines()[0],
        "parameters": parameters,
        "responses": {"default": {"description": 'JSON; errors are {"error": "..."}'}},
    }
    schema: BodySchema | None = getattr(view, "body_schema", None)
    if schema is not None:
        operation["requestBody"] = {
            "content": {"application/json": {"schema": schema.to_json()}},
        }
    return operation


def _version() -> str:
    from .. import __version__

    return __version__
