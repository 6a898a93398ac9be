"""Send the Salesforce hosts a client hard-codes to the mock, over the wire.

simple-salesforce builds ``https://{domain}.salesforce.com/services/oauth2/token`` itself; a
``requests`` adapter mounted on those hosts rewrites each URL to the mock's address and keeps
the original ``Host`` header, so the mock still knows a login host from a My Domain (see
docs/oauth.md, "Hosts"). TLS is verified against the mock's CA for the mock's own name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

MY_DOMAIN = "acme.my.salesforce.com"
LOGIN_HOSTS = ("login.salesforce.com", "test.salesforce.com", MY_DOMAIN)


class RouteToMock(HTTPAdapter):
    """An ``HTTPAdapter`` that sends every request to ``mock_url``, keeping its ``Host``."""

    def __init__(self, mock_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mock = urlsplit(mock_url)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        asked = urlsplit(request.url or "")
        request.headers["Host"] = asked.netloc
        request.url = urlunsplit((self.mock.scheme, self.mock.netloc, *asked[2:]))
        return super().send(request, **kwargs)
