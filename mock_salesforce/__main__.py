"""``python -m mock_salesforce serve``: the mock with its demo org, behind a real WSGI server."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from .app import create_app
from .org_admin.seed import apply_seed, demo_seed, load_seed_file
from .serving.server import LiveServer, state_dir
from .serving.tls import ensure_certificates


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
    serve.add_argument("--threads", type=int, default=16)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = create_app({"DB_DIR": args.db} if args.db else None)
    tls = ensure_certificates(state_dir(args.db) / "tls") if args.tls else None
    server = LiveServer(app, args.host, args.port, tls=tls, threads=args.threads)
    registry = app.extensions["mock_salesforce"].registry
    seeded: list[dict[str, Any]] = []
    if not args.no_seed and not registry.all():
        seeded = apply_seed(registry, load_seed_file(args.seed) if args.seed else demo_seed())
    server._server.prepare()
    app.extensions["mock_salesforce"].base_url = server.url
    print(banner(server.url, seeded, tls.ca_cert if tls else None, args.seed), flush=True)
    try:
        server._server.serve()
    except KeyboardInterrupt:
        server.stop()
    return 0


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
