"""Salesforce record ids: 15-character case-sensitive ids and their 18-character case-safe form.

An id is a 3-character key prefix naming the object (``003`` Contact, ``005`` User, ...), then
12 characters that Salesforce uses for the pod and a base-62 sequence. The 18-character form adds
a 3-character checksum that records, for each 5-character chunk, which characters are upper-case
(REST API Developer Guide; the algorithm is in docs/rest-api.md, "Record ids").
"""

from __future__ import annotations

import re
from functools import lru_cache

_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID15 = re.compile(r"^[0-9A-Za-z]{15}$")
_ID18 = re.compile(r"^[0-9A-Za-z]{15}[A-Z0-5]{3}$")


# Each character becomes "1" when upper-case, else "0"; read right to left, a chunk's bits.
_UPPER_AS_BIT = str.maketrans({char: "1" if char.isupper() else "0" for char in _BASE62})


def checksum(id15: str) -> str:
    """The three case-safe suffix characters of a 15-character id.

    Bit i of each 5-character chunk is set when its i-th character is an upper-case letter.
    """
    return _chunk_letter(id15[0:5]) + _chunk_letter(id15[5:10]) + _chunk_letter(id15[10:15])


@lru_cache(maxsize=4096)  # the ids of one org share their first chunks: asked again and again
def _chunk_letter(chunk: str) -> str:
    """The suffix character of one 5-character chunk."""
    return _SUFFIX_ALPHABET[int(chunk.translate(_UPPER_AS_BIT)[::-1], 2)]


def to18(id15: str) -> str:
    """The 18-character form of a 15- or 18-character id (raises ValueError when malformed)."""
    if len(id15) == 18 and is_valid(id15):
        return id15
    if not _ID15.match(id15):
        raise ValueError(f"malformed id {id15}")
    return id15 + checksum(id15)


def is_valid(value: str) -> bool:
    """True for a well-formed 15-character id or an 18-character id with a correct checksum."""
    if _ID15.match(value):
        return True
    return bool(_ID18.match(value)) and checksum(value[:15]) == value[15:]


@lru_cache(maxsize=4096)  # a pure function, asked again and again for the same org and record ids
def normalize(value: str) -> str | None:
    """The 18-character id for a 15/18-character input, or None when it is not an id.

    An 18-character id whose suffix is wrong is repaired from its first 15 characters only when
    the suffix matches case-insensitively (Salesforce accepts ids that went through a
    case-insensitive system).
    """
    if _ID15.match(value):
        return value + checksum(value)
    if len(value) == 18 and _ID15.match(value[:15]):
        expected = checksum(value[:15])
        if value[15:].upper() == expected:
            return value[:15] + expected
    return None


def key_prefix(record_id: str) -> str:
    """The object's 3-character key prefix of an id."""
    return record_id[:3]


def base62(number: int, width: int) -> str:
    """``number`` in base 62, left-padded with zeros to ``width`` characters."""
    if number < 0:
        raise ValueError("negative id sequence")
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    text = "".join(reversed(digits)) or "0"
    if len(text) > width:
        raise ValueError(f"id sequence overflows {width} characters")
    return text.rjust(width, "0")


def make_id(prefix: str, pod: str, sequence: int) -> str:
    """An 18-character id: key prefix (3), org pod (3), sequence (9), checksum (3)."""
    if len(prefix) != 3 or len(pod) != 3:
        raise ValueError("prefix and pod are three characters each")
    return to18(prefix + pod + base62(sequence, 9))
