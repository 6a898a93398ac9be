"""``python -m mock_salesforce serve``: the mock with its demo org, behind a real WSGI server.

Every option can also be given as an environment variable (``MOCK_SALESFORCE_<OPTION>``, e.g.
``MOCK_SALESFORCE_BASE_URL``); a command-line option wins over the variable.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .pipeline import requestlog

if TYPE_CHECKING:
    from flask import Flask

    from .serving.tls import TlsFiles

ENV_PREFIX = "MOCK_SALESFORCE_"
TRUE = ("1", "true", "yes", "on")


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name.upper(), default)


def env_flag(name: str) -> bool:
    return (env(name) or "").strip().lower() in TRUE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mock_salesforce", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mock-salesforce {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the mock (with the demo org unless --seed)")
    serve.add_argument("--host", default=env("host", "127.0.0.1"), help="[MOCK_SALESFORCE_HOST]")
    serve.add_argument(
        "--port", type=int, default=int(env("port", "8765") or 8765), help="0 picks a free port"
    )
    serve.add_argument(
        "--base-url",
        default=env("base_url"),
        help="the public URL handed out as instance and identity URL (behind a container or "
        "proxy: http://mock:8765); default: the address served",
    )
    serve.add_argument("--db", default=env("db"), help="folder for one SQLite file per org")
    serve.add_argument("--seed", default=env("seed"), help="seed file (JSON or YAML)")
    serve.add_argument("--no-seed", action="store_true", default=env_flag("no_seed"))
    serve.add_argument("--tls", action="store_true", default=env_flag("tls"), help="HTTPS")
    serve.add_argument(
        "--threads",
        type=int,
        default=int(env("threads", "16") or 16),
        help="threads per worker process",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=int(env("workers", "0") or 0) or None,
        help="worker processes sharing the port (default: one per core, at most 8; --tls: 1) "
        "[MOCK_SALESFORCE_WORKERS]",
    )
    serve.add_argument(
        "--quiet", action="store_true", default=env_flag("quiet"), help="no request log lines"
    )
    serve.add_argument(
        "--control-token",
        default=env("control_token"),
        help="token /_mock requests must send in X-Mock-Control-Token "
        "[MOCK_SALESFORCE_CONTROL_TOKEN]; required when --host is not a loopback address",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    requestlog.configure(args.quiet)
    exposed = exposure_warning(args.host, args.control_token)
    if exposed:
        print(exposed, file=sys.stderr, flush=True)
        if not args.control_token:
            return 2
    workers = 1 if args.tls else (args.workers or _default_workers())
    # Every worker serves the same folder of org files: --db, or a private temporary one.
    folder = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="mock-salesforce-"))
    config = app_config(args, workers, folder)
    try:
        return _start(args, config, workers)
    finally:
        if not args.db:
            shutil.rmtree(folder, ignore_errors=True)


def app_config(args: argparse.Namespace, workers: int, folder: Path) -> dict[str, Any]:
    """The app's configuration for ``serve``'s options, serving org files from ``folder``."""
    # A temporary folder lives only as long as the server: nothing in it is synced to disk.
    config: dict[str, Any] = {"DB_DIR": str(folder), "DB_DURABLE": bool(args.db)}
    if workers == 1 and not args.db:
        # A folder of its own that no other process opens: its org files are locked once.
        config["DB_PRIVATE"] = True
    if args.control_token:
        config["CONTROL_TOKEN"] = args.control_token
    if args.base_url:
        config["BASE_URL"] = args.base_url.rstrip("/")
    return config


def _start(args: argparse.Namespace, config: dict[str, Any], workers: int) -> int:
    from .app import create_app
    from .org_admin.seed import apply_seed, demo_seed, load_seed_file
    from .serving.server import state_dir
    from .serving.tls import ensure_certificates

    app = create_app(config)
    tls = ensure_certificates(state_dir(args.db) / "tls") if args.tls else None
    registry = app.extensions["mock_salesforce"].registry
    seeded: list[dict[str, Any]] = []
    if not args.no_seed and not registry.all():
        seeded = apply_seed(registry, load_seed_file(args.seed) if args.seed else demo_seed())
    for name, problem in registry.problems.items():
        print(f"mock-salesforce: skipped org file {name}: {problem}", file=sys.stderr, flush=True)

    def ready(url: str, listening: str) -> None:
        text = banner(url, seeded, tls.ca_cert if tls else None, args.seed)
        print(
            text.replace("\n", f"\n  listening on:                  {listening}\n", 1), flush=True
        )

    if workers > 1:
        registry.close()  # the workers open the files themselves, after the fork
        return serve_workers(lambda: create_app(config), args, workers, ready)
    return serve(app, args, tls, ready)


def _default_workers() -> int:
    from .serving.workers import default_workers

    return default_workers()


def serve(app: Flask, args: argparse.Namespace, tls: TlsFiles | None, ready: Any) -> int:
    """Build the server, bind, hand out the base URL, call ``ready(url, "host:port")``, serve
    until stopped (Ctrl-C or SIGTERM).

    A port already in use is one line on stderr and exit status 2.
    """
    from .serving.server import LiveServer

    try:
        server = LiveServer(app, args.host, args.port, tls=tls, threads=args.threads).prepare()
    except OSError as exc:
        print(
            f"mock-salesforce: cannot listen on {args.host}:{args.port}: {_why(exc)}",
            file=sys.stderr,
        )
        return 2
    url = (args.base_url or server.url).rstrip("/")
    app.extensions["mock_salesforce"].base_url = url
    ready(url, f"{server.host}:{server.port}")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
    return 0


def serve_workers(make_app: Any, args: argparse.Namespace, workers: int, ready: Any) -> int:
    """``workers`` pre-forked processes on one listening socket (serving/workers.py)."""
    from .serving.workers import Workers, listening_socket

    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        print(
            f"mock-salesforce: cannot listen on {args.host}:{args.port}: {_why(exc)}",
            file=sys.stderr,
        )
        return 2
    host, port = sock.getsockname()[:2]
    listening = f"{host}:{port}"
    url = (args.base_url or f"http://{listening}").rstrip("/")
    ready(url, f"{listening} ({workers} worker processes)")
    return Workers(make_app, sock, workers, args.threads).run()


def _why(exc: OSError) -> str:
    text = str(exc)
    if "in use" in text or getattr(exc, "errno", None) == 98:
        return "the address is already in use (another server? pick --port)"
    return text


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def exposure_warning(host: str, token: str | None) -> str | None:
    """What to print when the server binds beyond loopback (None on loopback)."""
    from .pipeline.guards import CONTROL_TOKEN_ENV, CONTROL_TOKEN_HEADER, is_loopback

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
    from .org_admin.seed import demo_seed, load_seed_file

    lines = [
        f"mock-salesforce {__version__} is serving",
        f"  base URL (login and instance): {url}",
        f"  control plane:                 {url}/_mock",
        f"  health:                        {url}/_mock/health",
    ]
    if ca is not None:
        lines.append(f"  TLS: trust this CA file:       {ca.resolve()}")
    seed = load_seed_file(seed_path) if seed_path else demo_seed()
    for org in seeded:
        lines.append(f"  org {org['name']}: {org['id']}")
        passwords = _passwords(seed, org["name"])
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


def _passwords(seed: dict[str, Any], org_name: str) -> dict[str, tuple[str, str]]:
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
