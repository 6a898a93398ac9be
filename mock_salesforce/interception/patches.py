"""The process-wide patches ``intercept()`` applies to ``requests`` and ``httpx``, and undoes.

``requests``: ``HTTPAdapter.send`` (the adapter every ``Session`` mounts by default) hands the
calls the mock handles to the in-process ``WSGIAdapter``. ``httpx``: ``HTTPTransport`` and
``AsyncHTTPTransport`` (what ``Client()`` and ``AsyncClient()`` use) do the same through
:mod:`.httpx_transport`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter

from ..serving.transport import WSGIAdapter


class Patches:
    def __init__(self, wsgi_app: Any, handles: Callable[[str], bool]) -> None:
        self.wsgi_app = wsgi_app
        self.handles = handles
        self._undo: list[Callable[[], None]] = []

    def apply(self) -> None:
        self._patch_requests()
        try:
            import httpx  # noqa: F401
        except ImportError:
            return
        self._patch_httpx()

    def undo(self) -> None:
        while self._undo:
            self._undo.pop()()

    def _replace(self, owner: type, name: str, new: Any) -> None:
        old = owner.__dict__[name]
        setattr(owner, name, new)
        self._undo.append(lambda: setattr(owner, name, old))

    def _patch_requests(self) -> None:
        adapter = WSGIAdapter(self.wsgi_app)
        original = HTTPAdapter.send
        handles = self.handles

        def send(self: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
            if handles(request.url or ""):
                return adapter.send(request, *args, **kwargs)
            return original(self, request, *args, **kwargs)

        self._replace(HTTPAdapter, "send", send)

    def _patch_httpx(self) -> None:
        import httpx

        from .httpx_transport import AsyncMockTransport, MockTransport

        sync, asynchronous = MockTransport(self.wsgi_app), AsyncMockTransport(self.wsgi_app)
        original = httpx.HTTPTransport.handle_request
        original_async = httpx.AsyncHTTPTransport.handle_async_request
        handles = self.handles

        def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            if handles(str(request.url)):
                return sync.handle_request(request)
            return original(self, request)

        async def handle_async(
            self: httpx.AsyncHTTPTransport, request: httpx.Request
        ) -> httpx.Response:
            if handles(str(request.url)):
                return await asynchronous.handle_async_request(request)
            return await original_async(self, request)

        self._replace(httpx.HTTPTransport, "handle_request", handle)
        self._replace(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)
