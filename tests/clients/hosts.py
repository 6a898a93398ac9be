"""Send the Salesforce hosts a client hard-codes to the mock, over the wire.

simple-salesforce builds ``https://{domain}.salesforce.com/services/oauth2/token`` itself, and
aiosalesforce accepts only ``https://<name>.my.salesforce.com`` as its base URL; a ``requests``
adapter (``RouteToMock``, in the package: ``mock_salesforce.serving.routing``) or an ``httpx``
transport (``RouteToMockTransport``) mounted for those hosts rewrites each URL to the mock's
address and keeps the original ``Host`` header, so the mock still knows a login host from a My
Domain (see docs/oauth.md, "Hosts"). TLS is verified against the mock's CA for the mock's own
name. Both count their rewrites (``rewrites``), so a suite can show that only the hard-coded
hosts were rerouted (docs/clients.md lists them).
"""

from __future__ import annotations

import ssl

import httpx

from mock_salesforce.serving.routing import LOGIN_HOSTS as SALESFORCE_LOGIN_HOSTS
from mock_salesforce.serving.routing import RouteToMock

MY_DOMAIN = "acme.my.salesforce.com"
LOGIN_HOSTS = (*SALESFORCE_LOGIN_HOSTS, MY_DOMAIN)

__all__ = ["LOGIN_HOSTS", "MY_DOMAIN", "RouteToMock", "RouteToMockTransport"]


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
