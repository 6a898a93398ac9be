"""A faithful, fast fake of Salesforce: OAuth, REST, SOQL, users, profiles and permissions.

``create_app`` builds the app; ``intercept()`` answers Salesforce's hosts in process. Both are
imported on first use, so ``import mock_salesforce`` (and its pytest plugin) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .interception import Intercept, intercept

__all__ = ["Intercept", "__version__", "create_app", "intercept"]
__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name in ("intercept", "Intercept"):
        from . import interception

        return getattr(interception, name)
    raise AttributeError(f"module 'mock_salesforce' has no attribute {name!r}")
