"""The request match kept per path shape (serving/routes.py) answers exactly as werkzeug's own
match, for every rule of the mock's URL map, every method, ids of both lengths and the segments
that must not be replaced (all digits, a ``v`` prefix, a placeholder's look), cold and kept."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, MapAdapter, Rule

from mock_salesforce.app import create_app
from mock_salesforce.serving.routes import CountedMap, ShapedMapAdapter, Shapes

METHODS = ("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE")
STRINGS = (
    "Contact",
    "0035000000000G9AAI",
    "0035000000000Gb",
    "001000000000001",
    "ABCDEFGHIJKLMN",  # after the "v" of v<version>: an id-shaped segment starting with v
    "zz0000000000000",
    "zz0000000000000001",
)
INTEGERS = ("7", "000000000000001")
PATHS = ("a/b", "a/0035000000000G9AAI", "0035000000000Gb/zz0000000000001")
EXTRA = (
    "/",
    "/0035000000000G9AAI",
    "/services/data/v59.0/sobjects/Contact/0035000000000G9AAI/extra",
    "/services/data/v59.0/sobjects/0035000000000G9AAI/0035000000000G9AAI",
    "/nope/0035000000000Gb",
)


def _outcome(adapter: MapAdapter) -> Any:
    try:
        rule, args = adapter.match(return_rule=True)
    except MethodNotAllowed as exc:
        return ("MethodNotAllowed", sorted(exc.valid_methods or ()))
    except HTTPException as exc:
        return (type(exc).__name__,)
    return (rule.endpoint, dict(args))


def _bind(url_map: Map, path: str, method: str, shapes: Shapes | None) -> MapAdapter:
    kind = MapAdapter if shapes is None else ShapedMapAdapter
    adapter = kind(url_map, "mock.test", "/", "", "http", path, method, "")
    if shapes is not None:
        adapter.shapes = shapes  # type: ignore[attr-defined]
    return adapter


def _paths(rule: Rule) -> list[str]:
    names = list(rule.arguments)
    choices = []
    for name in names:
        converter = type(rule._converters[name]).__name__
        choices.append(
            INTEGERS
            if converter == "IntegerConverter"
            else PATHS
            if converter == "PathConverter"
            else STRINGS
        )
    found = []
    for values in itertools.product(*choices):
        path = rule.rule
        for name, value in zip(names, values, strict=True):
            path = path.replace(f"<{name}>", value)
            for prefix in ("int:", "path:"):
                path = path.replace(f"<{prefix}{name}>", value)
        found.append(path)
    return found[:60]  # rules with three variables: a sample of their 343 paths


@pytest.fixture(scope="module")
def url_map() -> Map:
    app = create_app()
    return app.url_map


def test_the_mock_s_map_can_be_matched_by_shape(url_map: Map) -> None:
    shapes = Shapes(url_map)
    assert shapes.usable, "the URL map no longer meets what shaping needs (serving/routes.py)"
    assert shapes.prefixes == ("v",), shapes.prefixes


def test_kept_matches_answer_as_werkzeug_does_for_every_rule(url_map: Map) -> None:
    shapes = Shapes(url_map)
    paths = sorted({p for rule in url_map.iter_rules() for p in _paths(rule)} | set(EXTRA))
    compared = 0
    for method, path in itertools.product(METHODS, paths):
        expected = _outcome(_bind(url_map, path, method, None))
        for attempt in ("cold", "kept"):
            seen = _outcome(_bind(url_map, path, method, shapes))
            assert seen == expected, f"{method} {path} ({attempt}): {seen} != {expected}"
            compared += 1
    shaped = [key for key, kept in shapes.kept.items() if kept[2]]
    assert compared > 5000 and len(shaped) > 50, (compared, len(shaped))


def test_a_record_path_is_kept_once_per_shape(url_map: Map) -> None:
    shapes = Shapes(url_map)
    for record in ("0035000000000G9AAI", "0035000000000HAAAY", "0035000000000Gb"):
        path = f"/services/data/v59.0/sobjects/Contact/{record}"
        rule, args = _bind(url_map, path, "GET", shapes).match(return_rule=True)
        assert rule.endpoint == "rest.retrieve_record", rule.endpoint
        assert args == {"version": "59.0", "sobject": "Contact", "record_id": record}, args
    assert len(shapes.kept) == 2, sorted(shapes.kept)  # one per id length


def test_a_map_with_an_id_shaped_static_segment_is_matched_by_werkzeug_alone() -> None:
    url_map = CountedMap(
        [Rule("/things/ABCDEFGHIJKLMNO", endpoint="fixed"), Rule("/things/<x>", endpoint="any")]
    )
    shapes = Shapes(url_map)
    assert not shapes.usable
    adapter = _bind(url_map, "/things/ABCDEFGHIJKLMNO", "GET", shapes)
    assert adapter.match(return_rule=True)[0].endpoint == "fixed"


def test_a_map_that_does_not_count_its_rules_is_never_kept() -> None:
    url_map = Map([Rule("/sobjects/<sobject>/<record_id>", endpoint="record")])
    shapes = Shapes(url_map)
    for _ in range(2):
        found = _outcome(_bind(url_map, "/sobjects/Contact/0035000000000G9AAI", "GET", shapes))
        assert found[0] == "record", found
    assert shapes.kept == {} and not shapes.keeping, shapes.kept


def test_the_app_s_map_counts_its_rules() -> None:
    assert isinstance(create_app().url_map, CountedMap)


@pytest.mark.parametrize(
    ("rules", "path"),
    [
        # A segment starting with a mixed rule's prefix is kept: replaced, it would leave
        # "v<version>" for the plain variable beside it.
        (
            [Rule("/v<version>/a", endpoint="versioned"), Rule("/<other>/a", endpoint="other")],
            "/vABCDEFGHIJKLMN/a",
        ),
        # All digits are kept: an integer variable takes them, never a placeholder.
        (
            [Rule("/n/<int:k>", endpoint="number"), Rule("/n/<x>", endpoint="text")],
            "/n/000000000000001",
        ),
        (
            [Rule("/n/<int:k>", endpoint="number"), Rule("/n/<x>", endpoint="text")],
            "/n/00000000000000A",
        ),
        ([Rule("/p/<path:rest>", endpoint="path")], "/p/0035000000000Gb/x/0035000000000G9AAI"),
    ],
)
def test_kept_matches_answer_as_werkzeug_does_beside_rules_the_mock_lacks(
    rules: list[Rule], path: str
) -> None:
    url_map = CountedMap(rules)
    shapes = Shapes(url_map)
    assert shapes.usable, rules
    expected = _outcome(_bind(url_map, path, "GET", None))
    for attempt in ("cold", "kept"):
        seen = _outcome(_bind(url_map, path, "GET", shapes))
        assert seen == expected, f"{path} ({attempt}): {seen} != {expected}"


def test_a_rule_added_after_matches_were_kept_is_matched_as_werkzeug_does() -> None:
    """Flask takes new rules until it has served a request (``test_request_context`` matches
    without serving), and ``url_map.add`` at any time: what was kept is forgotten."""
    url_map = CountedMap([Rule("/sobjects/<sobject>/<record_id>", endpoint="record")])
    shapes = Shapes(url_map)
    path = "/sobjects/Contact/0035000000000G9AAI"
    assert _outcome(_bind(url_map, path, "GET", shapes))[0] == "record"
    url_map.add(Rule("/sobjects/Contact/<record_id>", endpoint="contact_only"))
    assert _outcome(_bind(url_map, path, "GET", shapes))[0] == "contact_only"
    url_map.add(Rule("/things/ABCDEFGHIJKLMNO", endpoint="fixed"))
    url_map.add(Rule("/things/<x>", endpoint="any"))
    seen = _outcome(_bind(url_map, "/things/ABCDEFGHIJKLMNO", "GET", shapes))
    assert seen[0] == "fixed" and not shapes.usable, (seen, shapes.usable)


def test_a_long_path_is_matched_but_not_kept(url_map: Map) -> None:
    shapes = Shapes(url_map)
    path = "/services/async/59.0/job/" + "x" * 5000 + "/0035000000000G9AAI"
    expected = _outcome(_bind(url_map, path, "POST", None))
    assert _outcome(_bind(url_map, path, "POST", shapes)) == expected, expected
    assert shapes.kept == {}, list(shapes.kept)
