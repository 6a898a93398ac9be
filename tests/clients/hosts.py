"""The hosts the client tests send to the mock (``RouteToMock`` lives in the package)."""

from __future__ import annotations

from mock_salesforce.serving.routing import LOGIN_HOSTS as SALESFORCE_LOGIN_HOSTS
from mock_salesforce.serving.routing import RouteToMock

MY_DOMAIN = "acme.my.salesforce.com"
LOGIN_HOSTS = (*SALESFORCE_LOGIN_HOSTS, MY_DOMAIN)

__all__ = ["LOGIN_HOSTS", "MY_DOMAIN", "RouteToMock"]
