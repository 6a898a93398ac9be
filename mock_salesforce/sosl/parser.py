"""SOSL statements: ``FIND {term} [IN scope FIELDS] [RETURNING Obj(fields WHERE ... ORDER BY
... LIMIT n OFFSET n), ...] [WITH SPELL_CORRECTION = b] [LIMIT n] [UPDATE TRACKING|VIEWSTAT]``.

Syntax errors are MALFORMED_SEARCH in Salesforce's layout (the line, a caret, ``ERROR at
Row:1:Column:N``, the reason; shared reference part 2 §3.3). The clauses inside an object's
parentheses are SOQL and are checked by the SOQL engine when the search runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import errors
from ..soql.errors import positioned_message
from .terms import Term, TermError, parse_term

SCOPES = ("ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR")
MAX_LIMIT = 2000
NO_BRACES = "No search term found. The search term must be enclosed in braces."
_WORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[(),=]|\S)")
_CLAUSE = re.compile(r"\b(WHERE|ORDER\s+BY|LIMIT|OFFSET)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ObjectSpec:
    """One ``RETURNING`` entry: the object and the SOQL clauses that shape its records."""

    name: str
    fields: str | None = None
    where: str | None = None
    order_by: str | None = None
    limit: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class SearchRequest:
    """A search, however it was asked for (SOSL text or parameterized search)."""

    term: Term
    scope: str = "ALL"
    objects: tuple[ObjectSpec, ...] = ()
    limit: int = MAX_LIMIT
    default_fields: str | None = None
    text: str = field(default="", compare=False)


class _Statement:
    """A cursor over the SOSL text that reports errors at their column."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def fail(self, reason: str, at: int | None = None) -> errors.SalesforceError:
        column = (self.position if at is None else at) + 1
        return errors.MalformedSearch(positioned_message(self.text, 1, column, reason))

    def next_word(self) -> tuple[str, int] | None:
        found = _WORD.match(self.text, self.position)
        if found is None:
            return None
        self.position = found.end()
        return found.group(1), found.start(1)

    def peek_word(self) -> str | None:
        found = _WORD.match(self.text, self.position)
        return found.group(1).upper() if found else None

    def expect(self, *words: str) -> str:
        found = self.next_word()
        if found is None or found[0].upper() not in words:
            token = found[0] if found else "<EOF>"
            raise self.fail(f"Malformed search token: {token}", found[1] if found else None)
        return found[0].upper()


def parse_sosl(text: str) -> SearchRequest:
    """A SOSL statement as a SearchRequest; MALFORMED_SEARCH / INVALID_SEARCH when it is not."""
    statement = _Statement(text)
    statement.expect("FIND")
    term = _braced_term(statement)
    scope, limit = "ALL", MAX_LIMIT
    objects: tuple[ObjectSpec, ...] = ()
    while (word := statement.peek_word()) is not None:
        if word == "IN":
            statement.next_word()
            scope = statement.expect(*SCOPES)
            statement.expect("FIELDS")
        elif word == "RETURNING":
            statement.next_word()
            objects = _returning(statement)
        elif word == "WITH":
            _with_clause(statement)
        elif word == "LIMIT":
            statement.next_word()
            limit = _number(statement)
        elif word == "UPDATE":
            statement.next_word()
            statement.expect("TRACKING", "VIEWSTAT")
        else:
            found = statement.next_word()
            assert found is not None
            raise statement.fail(f"Malformed search token: {found[0]}", found[1])
    return SearchRequest(term, scope, objects, min(limit, MAX_LIMIT), text=text)


def _braced_term(statement: _Statement) -> Term:
    rest = statement.text[statement.position :]
    start = statement.position + len(rest) - len(rest.lstrip())
    if not statement.text.startswith("{", start):
        raise errors.MalformedSearch(NO_BRACES)
    end = _closing_brace(statement.text, start)
    if end is None:
        raise statement.fail("mismatched character '<EOF>' expecting '}'", len(statement.text))
    try:
        term = parse_term(statement.text[start + 1 : end])
    except TermError as exc:
        raise statement.fail(
            f"line 1:{start + 2 + exc.offset} {exc.reason}", start + 1 + exc.offset
        ) from None
    statement.position = end + 1
    return term


def _closing_brace(text: str, start: int) -> int | None:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "}":
            return i
        i += 1
    return None


def _number(statement: _Statement) -> int:
    found = statement.next_word()
    if found is None or not found[0].isdigit():
        raise statement.fail(f"Malformed search token: {found[0] if found else '<EOF>'}")
    return int(found[0])


def _with_clause(statement: _Statement) -> None:
    """``WITH SPELL_CORRECTION = true|false`` is accepted (the mock never corrects spelling);
    other WITH clauses (DIVISION, SNIPPET, METADATA, NETWORK, ...) are refused."""
    statement.next_word()
    found = statement.next_word()
    if found is None or found[0].upper() != "SPELL_CORRECTION":
        token = found[0] if found else "<EOF>"
        raise statement.fail(
            f"WITH {token} is not supported by this mock", found[1] if found else None
        )
    statement.expect("=")
    statement.expect("TRUE", "FALSE")


def _returning(statement: _Statement) -> tuple[ObjectSpec, ...]:
    specs = [_object_spec(statement)]
    while statement.peek_word() == ",":
        statement.next_word()
        specs.append(_object_spec(statement))
    return tuple(specs)


def _object_spec(statement: _Statement) -> ObjectSpec:
    found = statement.next_word()
    if found is None or not re.match(r"[A-Za-z_]", found[0]):
        token = found[0] if found else "<EOF>"
        raise statement.fail(f"Malformed search token: {token}", found[1] if found else None)
    name = found[0]
    if statement.peek_word() != "(":
        return ObjectSpec(name)
    statement.next_word()
    start = statement.position
    end = _closing_paren(statement.text, start)
    if end is None:
        raise statement.fail("mismatched character '<EOF>' expecting ')'", len(statement.text))
    statement.position = end + 1
    return _object_clauses(statement, name, statement.text[start:end], start)


def _closing_paren(text: str, start: int) -> int | None:
    depth, i, quoted = 0, start, False
    while i < len(text):
        char = text[i]
        if quoted:
            i += 2 if char == "\\" else 1
            quoted = quoted and char != "'"
            continue
        if char == "'":
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return None


def _object_clauses(statement: _Statement, name: str, inner: str, at: int) -> ObjectSpec:
    """``Id, Name WHERE ... ORDER BY ... LIMIT n OFFSET n``, split at top-level keywords."""
    cuts = [(m.start(), m.group(1).upper().split()[0]) for m in _top_level_clauses(inner)]
    fields = inner[: cuts[0][0]] if cuts else inner
    if "(" in fields:
        raise statement.fail(
            "Functions in a RETURNING field list are not supported by this mock", at
        )
    parts: dict[str, str] = {}
    for index, (start, keyword) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(inner)
        text = inner[start + len(keyword) : end].strip()
        if keyword == "ORDER":
            text = re.sub(r"^BY\b\s*", "", text, flags=re.IGNORECASE)
        if not text:
            raise statement.fail(f"Malformed search token: {keyword}", at + start)
        parts[keyword] = text
    limit, offset = (_clause_number(statement, parts.get(k), k, at) for k in ("LIMIT", "OFFSET"))
    return ObjectSpec(
        name, fields.strip() or None, parts.get("WHERE"), parts.get("ORDER"), limit, offset
    )


def _top_level_clauses(inner: str) -> list[re.Match[str]]:
    """Clause keywords outside quotes and parentheses."""
    found = []
    for match in _CLAUSE.finditer(inner):
        prefix = inner[: match.start()].replace("\\'", "")
        if prefix.count("'") % 2 == 0 and prefix.count("(") == prefix.count(")"):
            found.append(match)
    return found


def _clause_number(statement: _Statement, text: str | None, keyword: str, at: int) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise statement.fail(f"{keyword} takes a number, not '{text}'", at)
    return int(text)
