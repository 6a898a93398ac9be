"""``python -m bench.durability [--rounds N]``: kill -9 rounds under ``--db`` while writers run.

Each round starts ``serve --db DIR --workers 2``, lets six writers create contacts, kills the
whole process group with SIGKILL mid-write, restarts on the same folder and counts the
acknowledged creates that are missing. The figures go to docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from pathlib import Path

from mock_salesforce.pytest_plugin import DEFAULT_ORG
from mock_salesforce.pytest_plugin.control_client import ControlClient
from tests.system.test_durability import kill_all, start, stored_ids, write_contacts


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.durability")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(17)
    with tempfile.TemporaryDirectory(prefix="durability-") as tmp:
        db = Path(tmp) / "orgs"
        process, url = start(db, Path(tmp))
        control = ControlClient(url)
        org_id = control.seed({"orgs": [DEFAULT_ORG]})[0]["id"]
        control.org(org_id).settings(api_daily_limit=10**8)
        acknowledged: list[str] = []
        for round_number in range(args.rounds):
            token = ControlClient(url).org(org_id).session_for("admin@test.org")["access_token"]
            done: list[str] = []

            def write(
                u: str = url, t: str = token, r: int = round_number, d: list[str] = done
            ) -> None:
                d.extend(write_contacts(u, t, f"round{r}"))

            writers = threading.Thread(target=write)
            writers.start()
            time.sleep(rng.uniform(0.5, 2.0))
            kill_all(process)
            writers.join(timeout=120)
            acknowledged += done
            process, url = start(db, Path(tmp))
            missing = set(acknowledged) - stored_ids(ControlClient(url), org_id)
            print(
                f"round {round_number + 1}: {len(done)} acknowledged this round, "
                f"{len(acknowledged)} in all, {len(missing)} lost",
                flush=True,
            )
        kill_all(process)


if __name__ == "__main__":
    main()
