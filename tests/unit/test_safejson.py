"""Request JSON: the short-body fast path (orjson) reads exactly what ``json`` reads, and
refuses what the limits refuse with the same words (docs/performance.md)."""

from __future__ import annotations

import json

import pytest

from mock_salesforce.pipeline import safejson

SAME_VALUE = [
    '{"LastName": "Smith", "Amount": 12.5, "Count": 3, "Flag": true, "Other": null}',
    "[1, -0, 0.1, 1e5, 1E-5, 123456789012345678, -123456789012345678]",
    '{"a": 1, "a": 2}',
    '"\\u00e9\\ud83d\\ude00 caf\u00e9"',
    '{"big": 1234567890123456789012345}',
    '{"neg": -9999999999999999999, "pos": 18446744073709551616}',
    '{"float": 0.1000000000000000055511151231257827021181583404541015625}',
    " [ ] ",
]


@pytest.mark.parametrize("text", SAME_VALUE)
def test_values_are_what_json_reads(text: str) -> None:
    got, expected = safejson.loads(text), json.loads(text)
    assert got == expected and repr(got) == repr(expected), (got, expected)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 150 + "]" * 150, "Document nesting depth (101)"),
        ('{"a": "\\ud800"}', "unpaired surrogate"),
        ('{"a": NaN}', "Non-standard token 'NaN'"),
        ('{"a": 1e400}', "out of range of double"),
    ],
)
def test_refusals_say_what_the_limits_say(text: str, words: str) -> None:
    with pytest.raises(safejson.JsonRefused, match=words.replace("(", r"\(").replace(")", r"\)")):
        safejson.loads(text)


def test_malformed_json_is_reported_by_json_with_its_position() -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        safejson.loads('{"a": 1,}')
    assert (raised.value.lineno, raised.value.colno) == (1, 9), raised.value
