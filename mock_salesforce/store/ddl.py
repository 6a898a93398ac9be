"""SQL definitions of an org database: one table per sObject plus the mock's own tables.

sObject tables are named after the object and have one column per field, named after the field
(identifiers are always quoted: ``Group`` is an SQL keyword). Text columns compare
case-insensitively, as SOQL does; ids and references compare exactly.
"""

from __future__ import annotations

from ..schema import FieldDef, ObjectDef


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def column_sql(field: FieldDef) -> str:
    sql = f"{quote(field.name)} {field.sql_type}"
    if field.name == "Id":
        sql += " PRIMARY KEY"
    return sql


def table_sql(obj: ObjectDef) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one sObject."""
    table = quote(obj.name)
    statements = [f"CREATE TABLE {table} ({', '.join(column_sql(f) for f in obj.fields)})"]
    for field in obj.fields:
        if field.name == "Id":
            continue
        if (
            field.is_reference
            or field.external_id
            or field.unique
            or field.name
            in (
                "SystemModstamp",
                "Email",
                "CreatedDate",
                "Name",
                "Username",
            )
        ):
            statements.append(index_sql(obj, field))
    return statements


def index_sql(obj: ObjectDef, field: FieldDef) -> str:
    """The index of an indexed field. As Salesforce's standard indexes, one on a field that
    may be blank leaves the blank (null) rows out: a record saved without an email or an
    account writes no entry there, one B-tree page less per such field and write. Filters on
    the field (``=``, ``IN``, ranges, ``LIKE``, semi-joins) imply it is not null, so SQLite
    still answers them from the index; ``= null`` scans, as it is not selective in Salesforce
    either. Name keeps every row: sorting by name reads its index in order."""
    name = quote(f"ix_{obj.name}_{field.name}")
    column = quote(field.name)
    sql = f"CREATE INDEX IF NOT EXISTS {name} ON {quote(obj.name)} ({column})"
    if field.nillable and field.name != "Name":
        sql += f" WHERE {column} IS NOT NULL"
    return sql


# The mock's own state, kept in the org's database so snapshots capture all of it.
MOCK_TABLES = """
CREATE TABLE IF NOT EXISTS _mock_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _mock_sequence (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS _mock_custom_field (object TEXT NOT NULL, name TEXT NOT NULL,
    definition TEXT NOT NULL, PRIMARY KEY (object, name));
CREATE TABLE IF NOT EXISTS _mock_credential (user_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
    salt TEXT NOT NULL, security_token TEXT NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _mock_profile_ip (profile_id TEXT NOT NULL, start_ip TEXT NOT NULL,
    end_ip TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _mock_connected_app (client_id TEXT PRIMARY KEY, name TEXT NOT NULL,
    definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _mock_fault (id TEXT PRIMARY KEY, definition TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0, fired INTEGER NOT NULL DEFAULT 0);
-- One row per call, in call order; no index on time, one more page written per call
-- (pipeline/limits.py reads it by rowid).
CREATE TABLE IF NOT EXISTS _mock_api_call (time TEXT NOT NULL);
"""

# The journal (files.py's migration from format 1 rebuilds it from here).
JOURNAL_TABLES = """
-- No index beside its key, and no AUTOINCREMENT (whose counter row is one more page written
-- per call): a filtered read scans at most journal_limit rows, and ``seq`` never goes back after
-- the journal is emptied because the highest seq it held is kept in _mock_journal_floor
-- (pipeline/journal.py).
CREATE TABLE IF NOT EXISTS _mock_journal (seq INTEGER PRIMARY KEY, time TEXT NOT NULL,
    user_id TEXT, username TEXT, client_id TEXT, method TEXT NOT NULL, path TEXT NOT NULL,
    api TEXT NOT NULL, operation TEXT, sobject TEXT, record_ids TEXT, soql TEXT,
    status INTEGER NOT NULL, error_code TEXT, fault_id TEXT, duration_ms REAL, host TEXT);
CREATE TABLE IF NOT EXISTS _mock_journal_floor (id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL);
INSERT OR IGNORE INTO _mock_journal_floor (id, seq) VALUES (1, 0);
"""
MOCK_TABLES += JOURNAL_TABLES
# How far the org's call log is folded into the journal (store/calllog.py; one row, written by
# the first fold; files made before it get the table then).
CALL_LOG_TABLE = (
    "CREATE TABLE IF NOT EXISTS _mock_call_log (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "log_id TEXT NOT NULL, offset INTEGER NOT NULL)"
)
MOCK_TABLES += CALL_LOG_TABLE + ";\n"
# The highest seq ever handed out (NULL for none): the newest entry, or what an emptied journal
# held; the next entry takes one more.
JOURNAL_HIGH_WATER = (
    "(SELECT MAX(s) FROM (SELECT MAX(seq) AS s FROM _mock_journal "
    "UNION ALL SELECT seq FROM _mock_journal_floor))"
)

# Sessions (access tokens). Only a SHA-256 of each token is stored, never the token itself.
SESSION_TABLES = """
CREATE TABLE IF NOT EXISTS _mock_access_token (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    client_id TEXT, grant_id TEXT, scope TEXT NOT NULL DEFAULT 'api',
    issued_at TEXT NOT NULL, last_used TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ix_access_token_user ON _mock_access_token (user_id);
CREATE INDEX IF NOT EXISTS ix_access_token_grant ON _mock_access_token (grant_id);
"""
MOCK_TABLES += SESSION_TABLES

# OAuth state: grants (one per refresh-token lineage), refresh tokens, authorization codes,
# remembered approvals and browser sessions of the authorize pages. Secrets are stored as
# SHA-256 hashes only.
OAUTH_TABLES = """
CREATE TABLE IF NOT EXISTS _mock_oauth_grant (id TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    client_id TEXT NOT NULL, scope TEXT NOT NULL, created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ix_oauth_grant_user ON _mock_oauth_grant (user_id, client_id);
CREATE TABLE IF NOT EXISTS _mock_refresh_token (token_hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL, issued_at TEXT NOT NULL, last_used TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS ix_refresh_token_grant ON _mock_refresh_token (grant_id);
CREATE TABLE IF NOT EXISTS _mock_auth_code (code_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, scope TEXT NOT NULL,
    code_challenge TEXT, expires_at TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS _mock_oauth_approval (user_id TEXT NOT NULL, client_id TEXT NOT NULL,
    approved_at TEXT NOT NULL, PRIMARY KEY (user_id, client_id));
CREATE TABLE IF NOT EXISTS _mock_browser_session (token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL, created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
"""
MOCK_TABLES += OAUTH_TABLES

# Several worker processes serve one org: each keeps settings, schema, permissions, apps and
# faults in memory, and revalidates them when this counter moved (read only when SQLite's
# ``PRAGMA data_version`` says another connection committed). Triggers move it on every change
# to a table those caches are built from, whichever code path made the change.
GENERATION_TABLE = """
CREATE TABLE IF NOT EXISTS _mock_generation (id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL);
INSERT OR IGNORE INTO _mock_generation (id, value) VALUES (1, 0);
"""
MOCK_TABLES += GENERATION_TABLE

# The mock's tables whose rows processes cache (settings and the clock, custom fields, connected
# apps, faults, credentials, login IP ranges, approvals).
CACHED_MOCK_TABLES = (
    "_mock_setting",
    "_mock_custom_field",
    "_mock_connected_app",
    "_mock_fault",
    "_mock_credential",
    "_mock_profile_ip",
    "_mock_oauth_approval",
    "_mock_api_call",
)


# A fault's counters move on every call it matches: only a new definition is a change.
# Calls are counted by every process, and pruning deletes only calls no window holds: only
# emptying the table (a reset) is a change.
_TRIGGER_EVENTS = {
    "_mock_fault": ("INSERT", "UPDATE OF definition", "DELETE"),
    "_mock_api_call": ("DELETE",),
}
_TRIGGER_WHEN = {"_mock_api_call": "NOT EXISTS (SELECT 1 FROM _mock_api_call)"}


def generation_triggers(table: str) -> list[str]:
    """Triggers that move the org's generation after every change to ``table``."""
    events = _TRIGGER_EVENTS.get(table, ("INSERT", "UPDATE", "DELETE"))
    when = f"WHEN {_TRIGGER_WHEN[table]} " if table in _TRIGGER_WHEN else ""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {quote(f'gen_{table}_{event.split()[0].lower()}')} "
        f"AFTER {event} ON {quote(table)} {when}"
        "BEGIN UPDATE _mock_generation SET value = value + 1; END"
        for event in events
    ]
