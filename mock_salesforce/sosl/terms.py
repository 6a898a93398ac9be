"""The search term of a SOSL query (what sits between the braces) and how records match it.

Matching model (documented in docs/soql.md): a field's text is cut into tokens (runs of
letters and digits), compared without regard to case. A word matches a token equal to it; `*`
stands for any number of characters and `?` for one, both at the middle or end of a word only.
A word that itself holds several tokens (`jane@acme.com`) and a quoted phrase match those
tokens next to each other in one field. Words are joined by AND (the default), OR and
AND NOT, grouped with parentheses; a record matches when the whole expression holds over the
tokens of its searched fields (SOSL reference, "FIND {SearchQuery}").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import errors

# Characters that must be escaped with a backslash to be searched for literally; `*`, `?`,
# `"`, `(` and `)` have a meaning of their own when they are not escaped.
RESERVED = set("?&|!{}[]()^~*:\\\"'+-")
_OPERATOR_CHARS = set('*?"()')


@dataclass(frozen=True)
class Phrase:
    """One word or quoted phrase: a pattern over a field's text that matches the phrase's
    tokens one after the other, each a whole token (not part of a longer run of letters)."""

    pattern: re.Pattern[str]
    text: str


@dataclass(frozen=True)
class Boolean:
    operator: str  # "AND", "OR" or "AND NOT"
    left: Term
    right: Term


Term = Phrase | Boolean


def matches(term: Term, fields: Sequence[str]) -> bool:
    """Whether a record whose searched fields hold these texts matches ``term``."""
    if isinstance(term, Boolean):
        left = matches(term.left, fields)
        if term.operator == "OR":
            return left or matches(term.right, fields)
        if term.operator == "AND NOT":
            return left and not matches(term.right, fields)
        return left and matches(term.right, fields)
    return any(term.pattern.search(field) for field in fields)


class TermError(Exception):
    """A malformed term; ``offset`` is the position inside the braces."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


@dataclass(frozen=True)
class _Lexeme:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT"
    text: str
    wild: str  # the same text with unescaped wildcards kept as * and ?, escaped ones dropped
    offset: int


def parse_term(text: str) -> Term:
    """The term between the braces; TermError when it is malformed, INVALID_SEARCH when it is
    too short to search for."""
    lexemes = _lex(text)
    if not lexemes:
        raise errors.InvalidSearch("search term must be longer than one character")
    parser = _TermParser(lexemes)
    term = parser.expression()
    if parser.position < len(lexemes):
        extra = lexemes[parser.position]
        raise TermError(extra.offset, f"unexpected token: '{extra.text}'")
    return term


def _lex(text: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            lexemes.append(_Lexeme(char, char, char, i))
            i += 1
        elif char == '"':
            end = _closing_quote(text, i)
            lexemes.append(_Lexeme("phrase", text[i + 1 : end], text[i + 1 : end], i))
            i = end + 1
        else:
            i = _word(text, i, lexemes)
    return lexemes


def _closing_quote(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    raise TermError(start, "mismatched character '\"' expecting '\"'")


def _word(text: str, start: int, lexemes: list[_Lexeme]) -> int:
    plain, wild = [], []
    i = start
    while i < len(text) and not text[i].isspace() and text[i] not in '()"':
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            plain.append(text[i + 1])
            wild.append(" " if text[i + 1] in "*?" else text[i + 1])
            i += 2
            continue
        if char in RESERVED and char not in _OPERATOR_CHARS:
            raise TermError(i, f"mismatched character '{char}' expecting '}}'")
        plain.append(char)
        wild.append(char)
        i += 1
    word = "".join(plain)
    kind = word.upper() if word.upper() in ("AND", "OR", "NOT") else "word"
    lexemes.append(_Lexeme(kind, word, "".join(wild), start))
    return i


class _TermParser:
    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self.lexemes = lexemes
        self.position = 0

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.position] if self.position < len(self.lexemes) else None

    def expression(self) -> Term:
        term = self.conjunction()
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            self.position += 1
            term = Boolean("OR", term, self.conjunction())
        return term

    def conjunction(self) -> Term:
        term = self.unary()
        while (lexeme := self.peek()) is not None and lexeme.kind not in ("OR", ")"):
            operator = "AND"
            if lexeme.kind == "AND":
                self.position += 1
                following = self.peek()
                if following is not None and following.kind == "NOT":
                    self.position += 1
                    operator = "AND NOT"
            term = Boolean(operator, term, self.unary())
        return term

    def unary(self) -> Term:
        lexeme = self.peek()
        if lexeme is None:
            offset = self.lexemes[-1].offset if self.lexemes else 0
            raise TermError(offset, "unexpected end of search term")
        self.position += 1
        if lexeme.kind == "(":
            term = self.expression()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise TermError(lexeme.offset, "mismatched character '(' expecting ')'")
            self.position += 1
            return term
        if lexeme.kind in ("word", "phrase"):
            return _phrase(lexeme)
        raise TermError(lexeme.offset, f"unexpected token: '{lexeme.text}'")


def _phrase(lexeme: _Lexeme) -> Phrase:
    words = re.findall(r"[\w*?]+", lexeme.wild, re.UNICODE)
    if not words:
        raise TermError(lexeme.offset, f"no searchable characters in '{lexeme.text}'")
    parts = []
    for word in words:
        if word[0] in "*?":
            raise TermError(lexeme.offset, f"a wildcard cannot start a search word: '{word}'")
        literal = word.replace("*", "").replace("?", "")
        if ("*" in word or "?" in word) and len(literal) < 2:
            raise errors.InvalidSearch(
                "search term must be longer than one character before a wildcard"
            )
        parts.append(
            "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
        )
    if sum(len(re.sub(r"[*?]", "", w)) for w in words) < 2:
        raise errors.InvalidSearch("search term must be longer than one character")
    # Whole tokens, next to each other: nothing but non-word characters between them.
    body = r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)"
    return Phrase(re.compile(body, re.IGNORECASE | re.UNICODE), lexeme.text)
