"""A zero-network transport: a ``requests`` adapter that hands each call to the WSGI app.

Mount it on a ``requests.Session`` for any host (``https://login.salesforce.com``,
``https://mock.my.salesforce.com``, ...) and the same client code runs against the same store
without a socket. The Host header is preserved, so the mock sees which host was called.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.response import HTTPResponse
from werkzeug.test import EnvironBuilder, run_wsgi_app

IN_PROCESS = "mock_salesforce.in_process"


class WSGIAdapter(BaseAdapter):
    """Serves ``requests`` calls from a WSGI application in process."""

    def __init__(self, wsgi_app: Any) -> None:
        super().__init__()
        self.wsgi_app = wsgi_app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body.encode() if isinstance(request.body, str) else request.body
        builder = EnvironBuilder(
            # "//services/..." is a path here, as on the socket (server.SalesforceRequest), not
            # an authority followed by "/...".
            path="/" + url.path.lstrip("/"),
            query_string=url.query,
            method=request.method or "GET",
            headers=list(request.headers.items()),
            data=body or b"",
            base_url=f"{url.scheme}://{url.netloc}",
        )
        environ = builder.get_environ()
        environ[IN_PROCESS] = True  # no socket: the control plane's host guard does not apply
        builder.close()
        app_iter, status, headers = run_wsgi_app(self.wsgi_app, environ, buffered=True)
        content = b"".join(app_iter)
        code = int(status.split(" ", 1)[0])
        raw = HTTPResponse(
            body=io.BytesIO(content),
            headers=dict(headers.items()),
            status=code,
            reason=status.split(" ", 1)[1] if " " in status else "",
            preload_content=False,
            decode_content=False,
        )
        response = requests.Response()
        response.status_code = code
        response.headers = CaseInsensitiveDict(dict(headers.items()))
        response.raw = raw
        response._content = content
        response.encoding = "utf-8"
        response.reason = raw.reason or ""
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        return None


def in_process_session(wsgi_app: Any, *prefixes: str) -> requests.Session:
    """A ``requests.Session`` whose calls to ``prefixes`` (default: every URL) go in process."""
    session = requests.Session()
    # Nothing here goes through a proxy: skip reading proxy settings from the environment on
    # every call (a third of an in-process call's client-side time).
    session.trust_env = False
    adapter = WSGIAdapter(wsgi_app)
    for prefix in prefixes or ("http://", "https://"):
        session.mount(prefix, adapter)
    return session
