"""Concurrent writers: threads create records over HTTP at once; every acknowledged write (201
with an id) must be found afterwards, once, and no id handed out twice.

    python -m tests.fuzz.writers --threads 8 --writes 500
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import requests

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from tests.fuzz.runner import prepare

V = "/services/data/v59.0"


def write(base_url: str, token: str, thread: int, count: int, acked: list[str]) -> None:
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        for n in range(count):
            response = http.post(
                f"{base_url}{V}/sobjects/Account", json={"Name": f"W{thread}-{n}"}, timeout=30
            )
            if response.status_code == 201:
                acked.append(response.json()["id"])


def run(base_url: str, threads: int, writes: int) -> dict[str, float]:
    target, _, _ = prepare(ControlClient(base_url))
    acked: list[str] = []
    started = time.perf_counter()
    workers = [
        threading.Thread(target=write, args=(base_url, target.token, t, writes, acked))
        for t in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    found = _stored_ids(base_url, target.token)
    return {
        "threads": threads,
        "attempted": threads * writes,
        "acknowledged": len(acked),
        "lost": len(set(acked) - found),
        "duplicate_ids": len(acked) - len(set(acked)),
        "seconds": round(seconds, 2),
    }


def _stored_ids(base_url: str, token: str) -> set[str]:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{base_url}{V}/query?q=SELECT+Id+FROM+Account+WHERE+Name+LIKE+'W%25'"
    found: set[str] = set()
    while url:
        page = requests.get(url, headers=headers, timeout=30).json()
        found.update(r["Id"] for r in page["records"])
        url = base_url + page["nextRecordsUrl"] if not page["done"] else ""
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--writes", type=int, default=500, help="per thread")
    args = parser.parse_args(argv)
    server = LiveServer(create_app()).start()
    try:
        figures = run(server.url, args.threads, args.writes)
    finally:
        server.stop()
    print(", ".join(f"{k}: {v}" for k, v in figures.items()))
    return 1 if figures["lost"] or figures["duplicate_ids"] else 0


if __name__ == "__main__":
    sys.exit(main())
