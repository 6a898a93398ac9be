"""Send the Salesforce hosts a client hard-codes to the mock, over the wire.

simple-salesforce builds ``https://{domain}.salesforce.com/services/oauth2/token`` itself, and
aiosalesforce accepts only ``https://<name>.my.salesforce.com`` as its base URL; a ``requests``
adapter (``RouteToMock``) or an ``httpx`` transport (``RouteToMockTransport``) mounted for those
hosts rewrites each URL to the mock's address and keeps the original ``Host`` header, so the mock
still knows a login host from a My Domain (see docs/oauth.md, "Hosts"). TLS is verified against
the mock's CA for the mock's own name. Both count their rewrites (``rewrites``), so a suite can
show that only the hard-coded hosts were rerouted (docs/clients.md lists them).
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
from requests.adapters import HTTPAdapter

MY_DOMAIN = "acme.my.salesforce.com"
LOGIN_HOSTS = ("login.salesforce.com", "test.salesforce.com", MY_DOMAIN)


class RouteToMock(HTTPAdapter):
    """An ``HTTPAdapter`` that sends every request to ``mock_url``, keeping its ``Host``."""

    def __init__(self, mock_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mock = urlsplit(mock_url)
        self.rewrites: list[str] = []  # the host of every request sent to the mock instead

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        asked = urlsplit(request.url or "")
        self.rewrites.append(asked.netloc)
        request.headers["Host"] = asked.netloc
        request.url = urlunsplit((self.mock.scheme, self.mock.netloc, *asked[2:]))
        return super().send(request, **kwargs)


class RouteToMockTransport(httpx.AsyncHTTPTransport):
    """An ``httpx`` transport that sends requests for ``hosts`` to ``mock_url``, keeping their
    ``Host`` header; any other host is refused, so nothing leaves the machine."""

    def __init__(self, mock_url: str, hosts: tuple[str, ...], ca_file: str) -> None:
        super().__init__(verify=ssl.create_default_context(cafile=ca_file))
        self.mock = httpx.URL(mock_url)
        self.hosts = hosts
        self.rewrites: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host not in self.hosts:
            raise httpx.ConnectError(f"{host} is not routed to the mock", request=request)
        self.rewrites.append(host)
        request.url = request.url.copy_with(
            scheme=self.mock.scheme, host=self.mock.host, port=self.mock.port
        )
        return await super().handle_async_request(request)
