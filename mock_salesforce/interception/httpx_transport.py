"""httpx transports that hand every call to the mock's WSGI app in process (no socket).

``httpx.Client(transport=MockTransport(app))`` and ``httpx.AsyncClient(transport=
AsyncMockTransport(app))`` (aiosalesforce and other async clients) reach the same app as the
live server; ``intercept()`` uses them for Salesforce's hosts only. The async one runs the app
in a worker thread, so the event loop is never blocked by a call.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class MockTransport(httpx.BaseTransport):
    def __init__(self, wsgi_app: Any) -> None:
        self._wsgi = httpx.WSGITransport(app=wsgi_app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self._wsgi.handle_request(request)
        content = answer.read()
        return httpx.Response(
            answer.status_code, headers=answer.headers, content=content, request=request
        )


class AsyncMockTransport(httpx.AsyncBaseTransport):
    def __init__(self, wsgi_app: Any) -> None:
        self._sync = MockTransport(wsgi_app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return await asyncio.to_thread(self._sync.handle_request, request)
