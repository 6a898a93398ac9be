"""What `serve`'s options make of the app's org folder (mock_salesforce/__main__.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_salesforce import org_admin
from mock_salesforce.__main__ import app_config, build_parser
from mock_salesforce.app import create_app

# PRAGMA synchronous: 0 is OFF (nothing synced), 1 is NORMAL (WAL synced at checkpoints).
OFF, NORMAL = 0, 1


@pytest.mark.parametrize(
    ("options", "workers", "synchronous", "private"),
    [
        ([], 1, OFF, True),  # a temporary folder of its own
        ([], 2, OFF, False),  # a temporary folder the workers share
        (["--db", "DIR"], 1, NORMAL, False),  # kept: synced, and may be opened again
        (["--db", "DIR"], 2, NORMAL, False),
    ],
)
def test_only_a_db_folder_is_synced_to_disk_and_only_one_worker_owns_a_temporary_one(
    tmp_path: Path, options: list[str], workers: int, synchronous: int, private: bool
) -> None:
    folder = tmp_path / "orgs"
    args = build_parser().parse_args(
        ["serve", *[str(folder) if o == "DIR" else o for o in options]]
    )
    app = create_app(app_config(args, workers, folder))
    registry = app.extensions["mock_salesforce"].registry
    try:
        org = org_admin.create_org(registry, "Configured")
        seen = int(org.conn.execute("PRAGMA synchronous").fetchone()[0])
        assert (seen, registry.private) == (synchronous, private), (
            f"{options} with {workers} worker(s): synchronous={seen}, private={registry.private}"
        )
    finally:
        registry.close()
