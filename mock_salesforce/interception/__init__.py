"""``mock_salesforce.intercept()``: Salesforce's hosts answered by a mock in this process.

While active, every ``requests`` call (any session, any library built on it, such as
simple-salesforce) to ``login.salesforce.com``, ``test.salesforce.com``, ``*.my.salesforce.com``,
``*.force.com`` or the org's instance host is served by a fresh mock app in process: no socket,
no TLS, no certificate to trust. ``httpx`` clients (sync and async) get the same when httpx is
installed. Every other URL goes out as before.

It cannot reach: other HTTP stacks (``urllib``, ``aiohttp``, ``http.client``), other processes
(a subprocess, a Node.js client), and clients built on a ``requests`` adapter of their own that
does not derive from ``HTTPAdapter``. For those, serve the mock (``python -m mock_salesforce
serve --tls``) or use the TLS live-server fixture.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from flask import Flask

    from ..pytest_plugin.handles import OrgHandle
    from .patches import Patches

LOGIN_HOSTS = frozenset({"login.salesforce.com", "test.salesforce.com"})
HOST_SUFFIXES = (".my.salesforce.com", ".force.com")
DEFAULT_MY_DOMAIN = "https://mockorg.my.salesforce.com"


def is_salesforce_host(host: str) -> bool:
    """A login host, a My Domain (``*.my.salesforce.com``) or a ``*.force.com`` host."""
    host = host.lower().rstrip(".")
    return host in LOGIN_HOSTS or host.endswith(HOST_SUFFIXES)


class Intercept(ContextDecorator):
    """The context manager (and decorator) behind :func:`intercept`.

    Entering creates a new mock app with one org (the pytest plugin's default org: an admin,
    a standard user and a connected app, or ``org`` as a seed) whose instance URL is
    ``instance_url``; the org handle is returned (and kept as ``.org``, with the app as
    ``.app``). Leaving puts ``requests`` and ``httpx`` back.
    """

    def __init__(
        self, org: dict[str, Any] | None = None, instance_url: str = DEFAULT_MY_DOMAIN
    ) -> None:
        self.spec = org
        self.instance_url = instance_url.rstrip("/")
        self._patches: Patches | None = None
        self._org: OrgHandle | None = None
        self._app: Flask | None = None

    @property
    def org(self) -> OrgHandle:
        if self._org is None:
            raise RuntimeError("intercept() is not active: use it as `with intercept() as org:`")
        return self._org

    @property
    def app(self) -> Flask:
        if self._app is None:
            raise RuntimeError("intercept() is not active")
        return self._app

    def handles(self, url: str) -> bool:
        """Whether a call to ``url`` is answered by the mock."""
        host = (urlsplit(url).hostname or "").lower()
        return is_salesforce_host(host) or host == urlsplit(self.instance_url).hostname

    def __enter__(self) -> OrgHandle:
        from ..app import create_app
        from .patches import Patches

        self._app = create_app({"BASE_URL": "https://login.salesforce.com"})
        self._patches = Patches(self._app, self.handles)
        self._patches.apply()
        try:
            self._org = self._seed()
        except BaseException:
            self._patches.undo()
            raise
        return self._org

    def __exit__(self, *exc: object) -> None:
        if self._org is not None:
            self._org.close()
            self._org.control.client.http.close()
        if self._patches is not None:
            self._patches.undo()
        self._org = self._app = self._patches = None

    def _seed(self) -> OrgHandle:
        from ..pytest_plugin.control_client import ControlClient
        from ..pytest_plugin.handles import default_org, new_org
        from ..serving.transport import in_process_session

        spec = dict(self.spec) if self.spec else default_org()
        spec["settings"] = {**spec.get("settings", {}), "instance_url": self.instance_url}
        control = ControlClient(self.instance_url, in_process_session(self.app))
        return new_org(control, self.instance_url, spec)


def intercept(
    org: dict[str, Any] | None = None, instance_url: str = DEFAULT_MY_DOMAIN
) -> Intercept:
    """Route Salesforce's hosts to a fresh in-process mock: ``with intercept() as org:`` or
    ``@intercept()`` (then ``intercept().org`` is not reachable: keep the object to use it)."""
    return Intercept(org, instance_url)


__all__ = ["Intercept", "intercept", "is_salesforce_host"]
