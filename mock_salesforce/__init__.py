"""A faithful, fast fake of Salesforce: OAuth, REST, SOQL, users, profiles and permissions."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
__version__ = "0.1.0"
