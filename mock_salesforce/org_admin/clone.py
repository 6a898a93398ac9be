"""Cloning an org: a new, isolated org holding a copy of another's configuration and data.

A test suite seeds one template org per worker and clones it for every test: copying a database
image and moving its ids to the new org's pod costs a few milliseconds, where re-seeding pays
for every profile, custom field (DDL) and user again. Sessions, grants, codes, the journal,
faults and the API counter are not copied; connected apps get new client ids and secrets, so
each clone is its own OAuth client as well.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from ..schema import ObjectDef
from ..store import OrgStore, Registry
from ..store.ddl import CALL_LOG_TABLE
from .apps import connected_apps, new_client_id

# The mock's session state: never carried into a clone.
SESSION_TABLES = (
    "_mock_journal",
    "_mock_fault",
    "_mock_api_call",
    "_mock_access_token",
    "_mock_oauth_grant",
    "_mock_refresh_token",
    "_mock_auth_code",
    "_mock_browser_session",
)
# Session state in tables made on first use (kept bodies, the journal's count of dropped entries).
LAZY_SESSION_TABLES = ("_mock_journal_body", "_mock_journal_dropped")
# Columns of the mock's own tables that hold record ids.
MOCK_ID_COLUMNS = {
    "_mock_credential": ("user_id",),
    "_mock_profile_ip": ("profile_id",),
    "_mock_oauth_approval": ("user_id",),
}


def clone_org(registry: Registry, source: OrgStore, name: str | None = None) -> OrgStore:
    """A new org whose state is a copy of ``source`` with its own ids and OAuth clients."""
    org_id, pod = registry.allocate(case_like=source.pod)
    clone_name = name or f"{source.setting('name')} (clone)"

    def prepare(store: OrgStore) -> None:
        with store.transaction():
            _move_ids(store, source.pod)
            for table in SESSION_TABLES:
                store.execute(f"DELETE FROM {table}")
            for table in LAZY_SESSION_TABLES:
                store.execute(f"DROP TABLE IF EXISTS {table}")
            # How far the source's call log was folded (the table is missing in older files).
            store.execute(CALL_LOG_TABLE)
            store.execute("DELETE FROM _mock_call_log")
            store.execute("UPDATE _mock_journal_floor SET seq = 0")  # its journal starts at 1
            _new_clients(store)
            store.set_setting("name", clone_name)
            store.set_setting("accepts_logins", True)

    # The copy is made with SQLite's backup API and appears only once complete: a clone that
    # fails part-way leaves no file behind. Its reset point is a copy of the closed file.
    return registry.add(org_id, pod, source=source, prepare=prepare, reset_point=True)


def _move_ids(store: OrgStore, old_pod: str) -> None:
    """Every id of the old org's pod, in every id and lookup column, moves to this org's pod.

    The new pod has upper-case letters where the old one has them, so an id keeps its
    case-safe suffix and moving it is a plain text replacement, done in SQL.
    """
    moved = (
        "CASE WHEN length({c}) = 18 AND substr({c}, 4, 3) = :old "
        "THEN substr({c}, 1, 3) || :new || substr({c}, 7) ELSE {c} END"
    )
    names = {"old": old_pod, "new": store.pod}
    for obj in _objects_with_rows(store):
        columns = [f'"{f.name}"' for f in obj.fields if f.type in ("id", "reference")]
        assignments = ", ".join(f"{c} = {moved.format(c=c)}" for c in columns)
        store.execute(f'UPDATE "{obj.name}" SET {assignments}', names)
    for table, mock_columns in MOCK_ID_COLUMNS.items():
        assignments = ", ".join(f"{c} = {moved.format(c=c)}" for c in mock_columns)
        store.execute(f"UPDATE {table} SET {assignments}", names)
    store.execute(
        "UPDATE \"PermissionSet\" SET Name = 'X00e' || substr(ProfileId, 4, 12) "
        "WHERE IsOwnedByProfile = 1"
    )
    owner = store.setting("lead_assignment_owner")
    if isinstance(owner, str) and len(owner) == 18 and owner[3:6] == old_pod:
        store.set_setting("lead_assignment_owner", owner[:3] + store.pod + owner[6:])


def _objects_with_rows(store: OrgStore) -> list[ObjectDef]:
    """The objects whose tables hold a row, found with one statement (most tables of a test
    org are empty, and an UPDATE of each would cost more than the whole question)."""
    objects = list(store.schema)
    probes = " UNION ALL ".join(
        f'SELECT {n} FROM (SELECT 1 FROM "{o.name}" LIMIT 1)' for n, o in enumerate(objects)
    )
    return [objects[row[0]] for row in store.query(probes)] if objects else []


def _new_clients(store: OrgStore) -> None:
    """Each connected app gets a new client id and secret; approvals follow the new id."""
    rows = store.query("SELECT client_id, definition FROM _mock_connected_app")
    for row in rows:
        app = json.loads(row["definition"])
        app["client_id"] = new_client_id()
        app["client_secret"] = secrets.token_hex(32).upper()
        store.execute(
            "UPDATE _mock_connected_app SET client_id = ?, definition = ? WHERE client_id = ?",
            (app["client_id"], json.dumps(app), row["client_id"]),
        )
        store.execute(
            "UPDATE _mock_oauth_approval SET client_id = ? WHERE client_id = ?",
            (app["client_id"], row["client_id"]),
        )


def clone_summary(store: OrgStore) -> dict[str, Any]:
    """What a test needs of a clone: its id, users by username and apps' credentials."""
    users = {r["Username"]: r["Id"] for r in store.query('SELECT Id, Username FROM "User"')}
    apps = [
        {"name": a["name"], "client_id": a["client_id"], "client_secret": a["client_secret"]}
        for a in connected_apps(store)
    ]
    return {
        "id": store.org_id,
        "name": store.setting("name"),
        "users": users,
        "connected_apps": apps,
        "records": {},
    }
