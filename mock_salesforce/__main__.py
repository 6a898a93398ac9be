"""``python -m mock_salesforce serve``: the mock with its demo org, behind a real WSGI server."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .app import create_app
from .org_admin.seed import apply_seed, demo_seed, load_seed_file
from .serving.server import LiveServer, state_dir
from .serving.tls import ensure_certificates
from .serving.workers import Workers, default_workers, listening_socket


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mock_salesforce", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the mock (with the demo org unless --seed)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--db", help="folder for one SQLite file per org (state survives restarts)")
    serve.add_argument("--seed", help="seed file (JSON or YAML) instead of the demo org")
    serve.add_argument("--no-seed", action="store_true", help="start with no org at all")
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a local CA")
    serve.add_argument("--threads", type=int, default=16, help="threads per worker process")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes sharing the port (default: one per core, at most 8; --tls: 1)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    workers = 1 if args.tls else (args.workers or default_workers())
    # Every worker serves the same folder of org files: --db, or a private temporary one.
    folder = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="mock-salesforce-"))
    try:
        return _serve(args, folder, workers)
    finally:
        if not args.db:
            shutil.rmtree(folder, ignore_errors=True)


def _serve(args: argparse.Namespace, folder: Path, workers: int) -> int:
    app = create_app({"DB_DIR": str(folder)})
    registry = app.extensions["mock_salesforce"].registry
    seeded: list[dict[str, Any]] = []
    if not args.no_seed and not registry.all():
        seeded = apply_seed(registry, load_seed_file(args.seed) if args.seed else demo_seed())
    for name, problem in registry.problems.items():
        print(f"mock-salesforce: skipped org file {name}: {problem}", file=sys.stderr, flush=True)
    tls = ensure_certificates(state_dir(args.db) / "tls") if args.tls else None
    if workers == 1:
        server = LiveServer(app, args.host, args.port, tls=tls, threads=args.threads).prepare()
        print(banner(server.url, seeded, tls.ca_cert if tls else None, args.seed), flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.stop()
        return 0
    registry.close()  # the workers open the files themselves, after the fork
    sock = listening_socket(args.host, args.port)
    url = f"http://{args.host}:{sock.getsockname()[1]}"
    print(banner(url, seeded, None, args.seed), flush=True)
    return Workers(lambda: create_app({"DB_DIR": str(folder)}), sock, workers, args.threads).run()


def banner(url: str, seeded: list[dict[str, Any]], ca: Path | None, seed_path: str | None) -> str:
    lines = [
        "mock-salesforce is serving",
        f"  base URL (login and instance): {url}",
        f"  control plane:                 {url}/_mock",
    ]
    if ca is not None:
        lines.append(f"  TLS: trust this CA file:       {ca.resolve()}")
    for org in seeded:
        lines.append(f"  org {org['name']}: {org['id']}")
        passwords = _passwords(seed_path, org["name"])
        for username in org["users"]:
            secret = passwords.get(username)
            suffix = f"  password {secret[0]}  security token {secret[1]}" if secret else ""
            lines.append(f"    user {username}{suffix}")
        for app in org["connected_apps"]:
            lines.append(f"    connected app {app['name']}")
            lines.append(f"      client_id     {app['client_id']}")
            lines.append(f"      client_secret {app['client_secret']}")
    lines.append("  stop with Ctrl-C")
    return "\n".join(lines)


def _passwords(seed_path: str | None, org_name: str) -> dict[str, tuple[str, str]]:
    seed = load_seed_file(seed_path) if seed_path else demo_seed()
    for org in seed.get("orgs", []):
        if org.get("name") == org_name:
            return {
                u["username"]: (str(u.get("password", "")), str(u.get("security_token", "")))
                for u in org.get("users", [])
                if u.get("password")
            }
    return {}


if __name__ == "__main__":
    sys.exit(main())
