"""URL matching kept per path shape: werkzeug's match of one request against the mock's URL map
(about 150 rules) costs about 17 µs, the largest single piece of Flask's own work per call.

Nothing a match depends on changes once the app serves (Flask refuses new rules after the first
request, and the mock matches neither hosts nor subdomains), so the same method and path always
give the same rule and arguments. Paths that name a record differ only in its id, so the key
is the path with each id-shaped segment (15 or 18 letters and digits, not all digits) replaced
by a placeholder of the same length ("zz" and digits), and the real segments are put back in
the arguments. A path with "zz" in a segment it keeps is matched as it is.

That is exact only while an id-shaped segment and its placeholder are matched alike by every
rule. ``Shapes`` checks it once against the URL map: no static segment may be id-shaped; a
segment mixing text and a variable may only be a static prefix then one variable (``v<version>``),
and a segment starting with such a prefix is never replaced; variables must be plain strings,
paths or integers (an integer takes neither a placeholder, which has letters, nor any segment
replaced, which has one too). A map that breaks any of these is matched by werkzeug alone.
Whatever the match raises (not found, method not allowed, a redirect) is never kept, nor a
path longer than ``LONGEST``; a rule added to the map (a ``CountedMap``, which the app's is)
makes everything kept forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, MapAdapter, Rule
from werkzeug.routing.converters import IntegerConverter, PathConverter, UnicodeConverter

KEPT = 4096  # results kept; all are forgotten when full (paths with changing values)
LONGEST = 512  # longer paths are matched by werkzeug alone: the kept ones stay a few MB at most
_ID_SHAPED = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
_VARIABLE = re.compile(r"<[^>]*>")


def _placeholder(index: int, length: int) -> str:
    return f"zz{index:0{length - 2}d}"


class CountedMap(Map):
    """A URL map that counts what is added to it (``MockApp.url_map_class``): Flask takes new
    rules until it has served a request (a ``test_request_context`` matches without serving),
    and ``url_map.add`` at any time, so kept matches must know when to forget."""

    added = 0

    def add(self, rulefactory: Any) -> None:
        super().add(rulefactory)
        self.added += 1


class Shapes:
    """The kept matches of one URL map, and what makes a segment replaceable. Only a
    ``CountedMap``'s matches are kept: a rule added to it makes everything kept forgotten."""

    def __init__(self, url_map: Map) -> None:
        self.prefixes: tuple[str, ...] = ()
        self.kept: dict[tuple[str, str], tuple[Rule, dict[str, Any], int]] = {}
        self.added = getattr(url_map, "added", None)
        self.usable = self._check(url_map)

    @property
    def keeping(self) -> bool:
        return self.added is not None

    def follow(self, url_map: Map) -> None:
        """Check the map again, forgetting what was kept, when a rule was added since."""
        if url_map.added != self.added:  # type: ignore[attr-defined]
            self.kept = {}
            self.added = url_map.added  # type: ignore[attr-defined]
            self.usable = self._check(url_map)

    def _check(self, url_map: Map) -> bool:
        prefixes: set[str] = set()
        for rule in url_map.iter_rules():
            for converter in rule._converters.values():
                plain = type(converter) in (UnicodeConverter, PathConverter, IntegerConverter)
                if not plain or (
                    isinstance(converter, UnicodeConverter)
                    and converter.regex != UnicodeConverter(url_map).regex
                ):
                    return False
            for segment in rule.rule.split("/"):
                variables = _VARIABLE.findall(segment)
                if not variables:
                    if _ID_SHAPED.fullmatch(segment):
                        return False
                    continue
                if len(variables) > 1 or not segment.endswith(variables[0]):
                    return False
                prefix = segment[: -len(variables[0])]
                if prefix:
                    prefixes.add(prefix)
        self.prefixes = tuple(sorted(prefixes))
        # A placeholder ("zz" and digits) must not start with a prefix: such a segment would
        # take it where the real segment does not.
        return not any(re.fullmatch(r"z|zz\d*", p) for p in self.prefixes)

    def shape(self, path: str) -> tuple[str, list[str]]:
        """``path`` with its id-shaped segments replaced, and those segments in order."""
        if not self.usable:
            return path, []
        parts = path.split("/")
        replaced: list[str] = []
        for n, part in enumerate(parts):
            if (
                len(part) in (15, 18)
                and _ID_SHAPED.fullmatch(part)
                and not part.isdigit()
                and not part.startswith(self.prefixes)
            ):
                parts[n] = _placeholder(len(replaced), len(part))
                replaced.append(part)
            elif "zz" in part:
                return path, []  # a placeholder's look outside a placeholder: matched as is
        return ("/".join(parts), replaced) if replaced else (path, replaced)

    def forget_when_full(self) -> None:
        if len(self.kept) >= KEPT:
            self.kept.clear()


# A placeholder, as a whole segment of a restored argument (a path variable may hold several).
_MARK = re.compile(r"(?<![^/])zz(\d{13}|\d{16})(?![^/])")


def _restored(args: Mapping[str, Any], replaced: list[str]) -> dict[str, Any] | None:
    """The arguments with each placeholder given its real segment back; None unless every
    placeholder was found, whole, in a string argument. (A safety net: the map's checks leave
    every placeholder whole in a string or path argument, so it does not fall back today.)"""
    found: set[int] = set()

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(replaced) or len(match.group(0)) != len(replaced[index]):
            return match.group(0)
        found.add(index)
        return replaced[index]

    result = dict(args)
    for name, value in args.items():
        if isinstance(value, str) and "zz" in value:
            result[name] = _MARK.sub(put_back, value)
    return result if len(found) == len(replaced) else None


class ShapedMapAdapter(MapAdapter):
    """A ``MapAdapter`` whose request match (Flask's ``match(return_rule=True)``) is kept per
    method and path shape; any other use of ``match`` is werkzeug's."""

    shapes: Shapes

    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: Mapping[str, Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[Any, Mapping[str, Any]]:
        plain = (
            path_info is None
            and method is None
            and return_rule
            and query_args is None
            and websocket is None
            and not self.websocket
        )
        if not plain:
            return super().match(path_info, method, return_rule, query_args, websocket)  # type: ignore[call-overload, no-any-return]
        if len(self.path_info) > LONGEST or not self.shapes.keeping:
            return super().match(return_rule=True)
        self.shapes.follow(self.map)
        verb = self.default_method.upper()
        shaped, replaced = self.shapes.shape(self.path_info)
        key = (verb, shaped)
        kept = self.shapes.kept.get(key)
        if kept is None:
            if replaced:
                try:
                    rule, args = super().match(shaped, verb, return_rule=True)
                except HTTPException:  # not found, not allowed, a redirect: as the path says
                    return super().match(return_rule=True)
            else:
                rule, args = super().match(return_rule=True)
            self.shapes.forget_when_full()
            kept = self.shapes.kept[key] = (rule, dict(args), len(replaced))
        rule, args, count = kept
        if not count:
            return rule, dict(args)
        restored = _restored(args, replaced)
        if restored is None:
            return super().match(return_rule=True)
        return rule, restored
