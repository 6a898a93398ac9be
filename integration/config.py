"""Building the core from configuration: a login host, a connected app, a key, a session."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from integration.salesforce.gateway import HttpSalesforceGateway
from integration.salesforce.oauth import OAuthSettings
from integration.salesforce.rest import DEFAULT_API_VERSION
from integration.services.core import IntegrationCore
from integration.storage.base import Clock, utc_now
from integration.store import Store

PRODUCTION_LOGIN = "https://login.salesforce.com"
SANDBOX_LOGIN = "https://test.salesforce.com"


@dataclass(frozen=True)
class CoreSettings:
    """`login_host` is production, sandbox, a My Domain, or a mock's base URL."""

    oauth: OAuthSettings
    encryption_key: str
    database_path: str = ":memory:"
    api_version: str = DEFAULT_API_VERSION


def build_core(
    settings: CoreSettings,
    http: requests.Session | None = None,
    clock: Clock = utc_now,
) -> IntegrationCore:
    """The real adapter over `http` (any requests.Session, e.g. routed to an in-process app)."""
    gateway = HttpSalesforceGateway(
        settings.oauth, http or requests.Session(), settings.api_version
    )
    store = Store(settings.database_path, settings.encryption_key, clock)
    return IntegrationCore(store, gateway)
