"""Send the Salesforce hosts a client hard-codes to a mock served over the wire.

simple-salesforce builds ``https://{domain}.salesforce.com/services/oauth2/token`` itself; a
``requests`` adapter mounted on those hosts rewrites each URL to the mock's address and keeps
the original ``Host`` header, so the mock still knows a login host from a My Domain (see
docs/oauth.md, "Hosts"). TLS is verified against the mock's CA for the mock's own name.
(In process, without a server, ``mock_salesforce.intercept()`` does this for every session.)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

LOGIN_HOSTS = ("login.salesforce.com", "test.salesforce.com")


class RouteToMock(HTTPAdapter):
    """An ``HTTPAdapter`` that sends every request to ``mock_url``, keeping its ``Host``."""

    def __init__(self, mock_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mock = urlsplit(mock_url)
        self.rewrites: list[str] = []  # the host of every request sent to the mock instead

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        asked = urlsplit(request.url or "")
        self.rewrites.append(asked.netloc)
        request.headers["Host"] = asked.netloc
        request.url = urlunsplit((self.mock.scheme, self.mock.netloc, *asked[2:]))
        return super().send(request, *args, **kwargs)


def route_to_mock(
    session: requests.Session, mock_url: str, hosts: tuple[str, ...] = LOGIN_HOSTS
) -> requests.Session:
    """Mount ``RouteToMock(mock_url)`` on ``https://<host>`` of ``session`` for each host."""
    adapter = RouteToMock(mock_url)
    for host in hosts:
        session.mount(f"https://{host}", adapter)
    return session
