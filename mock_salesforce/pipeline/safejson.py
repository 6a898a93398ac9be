"""JSON from a request, parsed within limits, so that no body can crash or stall a view.

Salesforce's JSON reader (Jackson) refuses over-long numbers and over-deep documents with its
``StreamReadConstraints``; the mock applies the same kind of limits, tighter on depth (the
views walk documents recursively): 100 levels, numbers of at most 1,000 characters, no
``NaN``/``Infinity``, and no unpaired UTF-16 surrogate (``"\\ud800"``) in a string or a key.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

MAX_DEPTH = 100
MAX_NUMBER_LENGTH = 1000
# Short bodies with no long digit run are parsed by orjson: the same values as ``json`` there
# (orjson turns integers beyond 64 bits into floats, hence the digit run). Anything orjson
# refuses is parsed again by ``json``, whose errors give the messages.
FAST_MAX_LENGTH = MAX_NUMBER_LENGTH
_LONG_DIGITS = re.compile(r"\d{19}")


class JsonRefused(ValueError):
    """The body is not JSON the mock accepts; the message says why, in Jackson's words."""


def loads(text: str) -> Any:
    """``json.loads`` with the limits above; raises ``JsonRefused`` (or ``JSONDecodeError``)."""
    if len(text) <= FAST_MAX_LENGTH and not _LONG_DIGITS.search(text):
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # parsed again below, for json's account of what is wrong
        else:
            check(value)
            return value
    try:
        value = json.loads(
            text,
            parse_constant=_non_json_number,
            parse_int=_integer,
            parse_float=_float,
        )
    except RecursionError:
        raise JsonRefused(_depth_message(MAX_DEPTH + 1)) from None
    check(value)
    return value


def check(value: Any) -> None:
    """Refuse a parsed document deeper than MAX_DEPTH or holding an unpaired surrogate."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise JsonRefused(_depth_message(depth))
            for key, child in item.items():
                _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise JsonRefused(_depth_message(depth))
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            _check_text(item)


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise JsonRefused(
            f"Invalid JSON string: unpaired surrogate character (\\u{code:04x}) at "
            f"position {exc.start}"
        ) from None


def _depth_message(depth: int) -> str:
    return (
        f"Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_DEPTH}, from "
        "`StreamReadConstraints.getMaxNestingDepth()`)"
    )


def _number_length(token: str) -> None:
    if len(token) > MAX_NUMBER_LENGTH:
        raise JsonRefused(
            f"Number value length ({len(token)}) exceeds the maximum allowed "
            f"({MAX_NUMBER_LENGTH}, from `StreamReadConstraints.getMaxNumberLength()`)"
        )


def _integer(token: str) -> int:
    _number_length(token)
    return int(token)


def _float(token: str) -> float:
    _number_length(token)
    value = float(token)
    if math.isinf(value):
        raise JsonRefused(f"Numeric value ({_short(token)}) out of range of double")
    return value


def _short(token: str) -> str:
    return token if len(token) <= 40 else token[:37] + "..."


def _non_json_number(token: str) -> Any:
    """NaN and Infinity are not JSON; Jackson refuses them."""
    raise JsonRefused(
        f"Non-standard token '{token}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS "
        "to allow"
    )


def parse_int_text(text: str, default: int | None = None) -> int | None:
    """A decimal integer from a query parameter or a path, or ``default`` when it is not one
    (or longer than 18 digits, beyond any count or offset the mock could serve)."""
    text = text.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii() or len(digits) > 18:
        return default
    return int(text)
