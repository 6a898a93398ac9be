"""The app runs Flask's request hooks from a list made once per blueprint (app.MockApp): the
same hooks, in the same order, with the same short cut, as Flask's own walk on every request."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask, Response
from werkzeug.exceptions import SecurityError

from mock_salesforce.app import MockApp


def _hooked(app_class: type[Flask], stop_at: str | None = None) -> tuple[Flask, list[str]]:
    """An app with hooks on itself, a blueprint and a nested blueprint, logging their order."""
    calls: list[str] = []
    app = app_class(__name__)
    outer = Blueprint("outer", __name__, url_prefix="/outer")
    inner = Blueprint("inner", __name__, url_prefix="/inner")

    def hooks(owner: Any, name: str) -> None:
        def url_values(endpoint: str | None, values: dict[str, Any] | None) -> None:
            calls.append(f"url_values {name} {endpoint} {sorted(values or {})}")

        def before_one() -> str | None:
            calls.append(f"before {name} 1")
            return f"stopped by {name}" if stop_at == name else None

        def before_two() -> None:
            calls.append(f"before {name} 2")

        def after_one(response: Response) -> Response:
            calls.append(f"after {name} 1")
            return response

        def after_two(response: Response) -> Response:
            calls.append(f"after {name} 2")
            response.headers[f"X-{name}"] = "seen"
            return response

        owner.url_value_preprocessor(url_values)
        owner.before_request(before_one)
        owner.before_request(before_two)
        owner.after_request(after_one)
        owner.after_request(after_two)

    hooks(app, "app")
    hooks(outer, "outer")
    hooks(inner, "inner")
    inner.add_url_rule("/<item>", "item", lambda item: f"item {item}")
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    app.add_url_rule("/plain", "plain", lambda: "plain")
    return app, calls


@pytest.mark.parametrize("path", ["/outer/inner/7", "/plain", "/missing"])
@pytest.mark.parametrize("stop_at", [None, "outer"])
def test_hooks_run_as_flask_runs_them(path: str, stop_at: str | None) -> None:
    seen = {}
    for app_class in (Flask, MockApp):
        app, calls = _hooked(app_class, stop_at)
        client = app.test_client()
        answers = [client.get(path) for _ in range(2)]  # the second from the kept list
        seen[app_class.__name__] = (
            calls,
            [(a.status_code, a.get_data(as_text=True), sorted(a.headers.keys())) for a in answers],
        )
    assert seen["MockApp"] == seen["Flask"], (
        f"MockApp ran {seen['MockApp']}\nFlask ran {seen['Flask']}"
    )
    assert seen["Flask"][0], "no hook ran at all: the comparison would prove nothing"


def _environ(
    host: str,
    path: str,
    scheme: str = "http",
    script: str = "",
    query: str | None = "a=1",
    **extra: str,
) -> Any:
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": script,
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": scheme,
        "HTTP_HOST": host,
    }
    if query is not None:
        environ["QUERY_STRING"] = query
    environ.update(extra)
    return environ


def _adapter_fields(adapter: Any) -> tuple[Any, ...]:
    return (
        adapter.server_name,
        adapter.script_name,
        adapter.subdomain,
        adapter.url_scheme,
        adapter.path_info,
        adapter.default_method,
        adapter.query_args,
        adapter.websocket,
    )


@pytest.mark.parametrize(
    "environ",
    [
        _environ("LocalHost:8765", "/services/data"),
        _environ("example.com:80", "/x"),
        _environ("bücher.example:443", "/caf\xc3\xa9", scheme="https"),
        _environ("[::1]:9000", "/y", script="/pre\xc3\xa9"),
        _environ("h.test", "/ws", HTTP_CONNECTION="Upgrade", HTTP_UPGRADE="websocket"),
        _environ("h.test", ""),  # ``GET http://h.test HTTP/1.1``: an empty path, not "/"
        _environ("h.test", "/q", query=None),
        _environ("h.test", "/q", query="q=caf\xc3\xa9"),  # UTF-8 bytes read as latin-1
    ],
)
def test_url_adapter_bound_per_host_is_flasks_own(environ: dict[str, Any]) -> None:
    """Binding from the per-host cache gives the adapter Flask's binding gives, the second
    time a host is seen as the first (a WebSocket upgrade is always bound Flask's way)."""
    app = MockApp(__name__)
    flask_app = Flask(__name__)
    for _ in range(2):
        mock = app.create_url_adapter(app.request_class(dict(environ)))
        flask = flask_app.create_url_adapter(flask_app.request_class(dict(environ)))
        assert _adapter_fields(mock) == _adapter_fields(flask), (environ, _adapter_fields(mock))
    cached = list(app._bound_hosts.values())
    assert cached == ([] if "HTTP_UPGRADE" in environ else [mock.server_name]), cached


def test_url_adapter_goes_flasks_way_with_trusted_hosts_on_the_request_class() -> None:
    class Strict(MockApp.request_class):  # type: ignore[misc,valid-type]
        trusted_hosts = ["mock.test"]

    app = MockApp(__name__)
    app.create_url_adapter(app.request_class(_environ("evil.test", "/x")))  # cached, trusted
    app.request_class = Strict
    with pytest.raises(SecurityError):
        app.create_url_adapter(app.request_class(_environ("evil.test", "/x")))


def test_url_adapter_goes_flasks_way_with_a_server_name() -> None:
    app = MockApp(__name__)
    app.config["SERVER_NAME"] = "mock.test"
    request = app.request_class(_environ("other.test", "/x"))
    adapter = app.create_url_adapter(request)
    assert adapter is not None and adapter.server_name == "mock.test", adapter
    assert app._bound_hosts == {}
