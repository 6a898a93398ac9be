"""Pieces of the core's SQLite store; `integration.store.Store` puts them together."""
