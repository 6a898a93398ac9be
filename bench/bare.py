"""A bare Flask app with one JSON route: the baseline every HTTP figure is divided by.

``gunicorn bench.bare:app`` serves it on the best bare-Flask server at hand; ``python -m
bench.bare --port P --workers N`` serves it on the mock's own server configuration (waitress in
N pre-forked workers on one socket), so the two ratios separate the server from the mock.
``--waitress-pool`` serves it with waitress's own thread pool instead of the mock's (whose
event loop runs the requests itself: serving/dispatch.py); the bench divides by the faster.
"""

from __future__ import annotations

import argparse

from flask import Flask

PATH = "/_bench/ping"


def make_app() -> Flask:
    bare = Flask(__name__)
    bare.add_url_rule(PATH, "ping", lambda: {"ok": True})
    return bare


app = make_app()


def main() -> None:
    from mock_salesforce.serving.workers import Workers, listening_socket

    parser = argparse.ArgumentParser(prog="python -m bench.bare")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--waitress-pool",
        action="store_true",
        help="waitress's own thread pool instead of the mock's (the event loop runs requests)",
    )
    args = parser.parse_args()
    sock = listening_socket("127.0.0.1", args.port)
    print("serving", flush=True)
    Workers(make_app, sock, args.workers, args.threads, not args.waitress_pool).run()


if __name__ == "__main__":
    main()
