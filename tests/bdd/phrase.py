"""How a step's text becomes its pattern: anchored, so one step never swallows another.

``phrase('{member} pushes "{name}"')`` is pytest-bdd's ``parsers.parse`` with three house rules:

- a quoted parameter (``"{name}"``) never contains a quote, so ``Alice pushes "A" and "B"`` is
  not read as a push of ``A" and "B``: a longer, unknown step stays undefined;
- a bare parameter (``{member}``) is one word (letters, digits, ``_``, ``-``, ``@``), unless it
  names a type: ``{reps:Text}`` takes several words, ``{count:d}`` a number;
- the article ``a`` and ``an`` are interchangeable wherever the pattern has one.

The pattern QA reads in docs/steps.md is the text as written, with ``a(n)`` for an article.
"""

from __future__ import annotations

import re
from typing import Any

import parse as base_parse
from pytest_bdd import parsers


@base_parse.with_pattern(r'[^"]*')
def _quoted(text: str) -> str:
    return text


@base_parse.with_pattern(r"[\w@-]*\w")
def _word(text: str) -> str:
    return text


@base_parse.with_pattern(r".+?")
def _text(text: str) -> str:
    return text


@base_parse.with_pattern(r"an?")
def _article(text: str) -> str:
    return text


TYPES: dict[str, Any] = {"Quoted": _quoted, "Word": _word, "Text": _text, "Article": _article}
_QUOTED = re.compile(r'"\{(\w+)\}"')
_BARE = re.compile(r"\{(\w+)\}")
_ARTICLE = re.compile(r"(?<![\w{])an?(?![\w}])")


def compile_text(text: str) -> str:
    """The parse format behind a step text (see the module's rules)."""
    out = _QUOTED.sub(r'"{\1:Quoted}"', text)
    out = _BARE.sub(r"{\1:Word}", out)
    parts = re.split(r"(\{[^}]*\})", out)
    return "".join(p if p.startswith("{") else _ARTICLE.sub("{:Article}", p) for p in parts)


def _choice(values: tuple[str, ...]) -> Any:
    @base_parse.with_pattern("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    def convert(text: str) -> str:
        return text

    return convert


class Phrase(parsers.parse):
    """A ``parsers.parse`` that keeps the text as written for the catalogue and messages."""

    def __init__(self, text: str, choices: dict[str, tuple[str, ...]]) -> None:
        compiled = text
        types = dict(TYPES)
        for name, values in choices.items():
            compiled = compiled.replace(f"{{{name}}}", f"{{{name}:Choice_{name}}}")
            types[f"Choice_{name}"] = _choice(values)
        super().__init__(compile_text(compiled), extra_types=types)
        self.name = text
        self.written = text
        self.choices = choices


def phrase(text: str, **choices: tuple[str, ...]) -> Phrase:
    """The parser of one step text (quoted parameters without quotes, words, a/an); a
    parameter named in ``choices`` takes only those values (the catalogue lists them)."""
    return Phrase(text, choices)


def readable(text: str) -> str:
    """A step pattern as QA reads it: ``{name}`` without types, ``a(n)`` for the article."""
    return re.sub(r"\{(\w+):[^}]+\}", r"{\1}", text)
