"""``python -m mock_salesforce serve``: the mock with its demo org, behind a real WSGI server."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .app import create_app
from .org_admin.seed import apply_seed, demo_seed, load_seed_file
from .pipeline.guards import CONTROL_TOKEN_ENV, CONTROL_TOKEN_HEADER, is_loopback
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
    serve.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_ENV),
        help=f"token /_mock requests must send in {CONTROL_TOKEN_HEADER} (env {CONTROL_TOKEN_ENV});"
        " required when --host is not a loopback address",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    exposed = exposure_warning(args.host, args.control_token)
    if exposed:
        print(exposed, file=sys.stderr, flush=True)
        if not args.control_token:
            return 2
    workers = 1 if args.tls else (args.workers or default_workers())
    # Every worker serves the same folder of org files: --db, or a private temporary one.
    folder = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="mock-salesforce-"))
    config: dict[str, Any] = {"DB_DIR": str(folder)}
    if args.control_token:
        config["CONTROL_TOKEN"] = args.control_token
    try:
        return _serve(args, config, workers)
    finally:
        if not args.db:
            shutil.rmtree(folder, ignore_errors=True)


def _serve(args: argparse.Namespace, config: dict[str, Any], workers: int) -> int:
    app = create_app(config)
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
    return Workers(lambda: create_app(config), sock, workers, args.threads).run()


def exposure_warning(host: str, token: str | None) -> str | None:
    """What to print when the server binds beyond loopback (None on loopback)."""
    if is_loopback(host):
        return None
    if not token:
        return (
            f"refusing to serve on {host}: the control plane (/_mock) can reset orgs, read client "
            f"secrets and mint tokens; give --control-token (or {CONTROL_TOKEN_ENV}) to bind "
            "beyond loopback"
        )
    return (
        f"WARNING: serving on {host}, reachable from other machines; /_mock answers only "
        f"requests carrying the {CONTROL_TOKEN_HEADER} header"
    )


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
