"""Converting field values between JSON (what the API speaks) and SQLite storage.

Datetimes are stored in Salesforce's own output format (``2024-05-20T20:49:32.000+0000``, UTC),
which sorts lexicographically in time order, so SQL comparisons and ORDER BY work on the text.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

from .model import FieldDef

_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CANONICAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$")


def format_datetime(moment: datetime) -> str:
    """Salesforce's datetime format: UTC, whole seconds, ``.000+0000``.

    dateTime values have a precision of one second (SOAP API Developer Guide, "Primitive Data
    Types"): sub-second input is dropped, every dateTime reads back as ``...:SS.000+0000``.
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def parse_datetime(text: str) -> datetime:
    """A datetime from the ISO-8601 forms clients send (``Z``, ``+00:00``, ``+0000``, none)."""
    if _CANONICAL_DATETIME.match(text):  # the stored form, read on every call: the fast path
        return datetime(
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
            int(text[20:23]) * 1000,
            tzinfo=UTC,
        )
    match = _DATETIME.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a valid value for the type xsd:dateTime")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=UTC
    )
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset_minutes = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        moment = datetime.fromtimestamp(moment.timestamp() - offset_minutes * 60, tz=UTC)
    return moment


def parse_date(text: str) -> date:
    if not _DATE.match(text.strip()):
        raise ValueError(f"'{text}' is not a valid value for the type xsd:date")
    return date.fromisoformat(text.strip())


class NumberOutOfRange(ValueError):
    """A number the field cannot hold (too many digits, or not finite)."""


MAX_DIGITS = 18  # Salesforce numbers hold at most 18 digits


def _check_range(field: FieldDef, number: float | int) -> None:
    if isinstance(number, float) and not math.isfinite(number):
        raise NumberOutOfRange(str(number))
    digits = (field.precision - field.scale) if field.precision else MAX_DIGITS
    if abs(number) >= 10 ** max(digits, 1):
        raise NumberOutOfRange(str(number))


def to_storage(field: FieldDef, value: Any) -> Any:
    """The SQLite value for a JSON value of ``field`` (ValueError when of the wrong type)."""
    if value is None:
        return None
    kind = field.type
    if kind == "boolean":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return int(value.lower() == "true")
        raise ValueError(f"value not of required type: {value}")
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"value not of required type: {value}")
        number = value if isinstance(value, int) else float(value)
        if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
            raise ValueError(f"value not of required type: {value}")
        _check_range(field, number)
        return int(number)
    if kind in ("double", "currency", "percent"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"value not of required type: {value}")
        real = float(value)
        _check_range(field, real)
        return real
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError(f"value not of required type: {value}")
        if _CANONICAL_DATETIME.match(value):
            datetime.fromisoformat(value[:23])  # still a real date and time (ValueError)
            return value  # already in storage form (every stamp the mock writes)
        return format_datetime(parse_datetime(value))
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError(f"value not of required type: {value}")
        text = value.strip()
        if "T" in text:
            text = text.split("T", 1)[0]
        return parse_date(text).isoformat()
    if isinstance(value, dict | list):
        raise ValueError(f"value not of required type: {value}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_storage(field: FieldDef, raw: Any) -> Any:
    """The JSON value of a stored ``field`` value."""
    if raw is None:
        return None
    if field.type == "boolean":
        return bool(raw)
    if field.type == "int":
        return int(raw)
    if field.type in ("double", "currency", "percent"):
        return float(raw)
    return raw
