"""Request and response bodies in the journal: off by default, secrets redacted.

An org with the setting ``journal_bodies`` true keeps each call's bodies (up to 64 KiB each)
in ``_mock_journal_body``, next to its journal entry. Passwords, client secrets, tokens, codes,
assertions and session ids are replaced by ``"***"`` in JSON, form and SOAP bodies alike; the
``Authorization`` header is never kept.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..store import OrgStore

LIMIT = 64 * 1024
REDACTED = "***"
SECRET_KEYS = frozenset(
    {
        "password",
        "client_secret",
        "access_token",
        "refresh_token",
        "id_token",
        "code",
        "code_verifier",
        "assertion",
        "token",
        "security_token",
        "signature",
        "sessionid",
    }
)
_XML_SECRETS = re.compile(r"<((?:\w+:)?(?:password|sessionId))>[^<]*</\1>", re.IGNORECASE)
TABLE = (
    "CREATE TABLE IF NOT EXISTS _mock_journal_body (seq INTEGER PRIMARY KEY, "
    "request_body TEXT, response_body TEXT)"
)


def enabled(store: OrgStore) -> bool:
    return bool(store.setting("journal_bodies", False))


def save(
    store: OrgStore, seq: int, request: bytes, response: bytes, mimetypes: tuple[str, str]
) -> None:
    store.execute(TABLE)
    store.execute(
        "INSERT OR REPLACE INTO _mock_journal_body (seq, request_body, response_body) "
        "VALUES (?, ?, ?)",
        (seq, redact(request, mimetypes[0]), redact(response, mimetypes[1])),
    )


def prune(store: OrgStore, upto_seq: int) -> None:
    """Forget the bodies of entries the journal dropped."""
    if store.query("SELECT 1 FROM sqlite_master WHERE name = '_mock_journal_body'"):
        store.execute("DELETE FROM _mock_journal_body WHERE seq <= ?", (upto_seq,))


def attach(store: OrgStore, entries: list[dict[str, Any]]) -> None:
    """Add ``request_body`` and ``response_body`` (or None) to each entry."""
    have = store.query("SELECT 1 FROM sqlite_master WHERE name = '_mock_journal_body'")
    bodies: dict[int, Any] = {}
    if have and entries:
        marks = ",".join("?" * len(entries))
        rows = store.query(
            f"SELECT * FROM _mock_journal_body WHERE seq IN ({marks})", [e["seq"] for e in entries]
        )
        bodies = {row["seq"]: row for row in rows}
    for entry in entries:
        row = bodies.get(entry["seq"])
        entry["request_body"] = row["request_body"] if row else None
        entry["response_body"] = row["response_body"] if row else None


def redact(raw: bytes, mimetype: str) -> str | None:
    if not raw:
        return None
    text = raw[:LIMIT].decode("utf-8", errors="replace")
    if "json" in mimetype:
        try:
            return json.dumps(_redact_json(json.loads(text)), separators=(",", ":"))
        except ValueError:
            return text
    if "x-www-form-urlencoded" in mimetype:
        pairs = parse_qsl(text, keep_blank_values=True)
        return urlencode([(k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in pairs])
    return _XML_SECRETS.sub(lambda m: f"<{m.group(1)}>{REDACTED}</{m.group(1)}>", text)


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: REDACTED if k.lower() in SECRET_KEYS else _redact_json(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact_json(v) for v in value]
    return value
