"""SOSL: ``/search`` and ``/parameterizedSearch`` (shared reference part 2 §3).

- `parse_sosl(text) -> SearchRequest` (MALFORMED_SEARCH / INVALID_SEARCH when it is not SOSL)
- `run_search(session, request, version) -> list[record]`
The matching model is in `terms`; what the mock does not do is in docs/soql.md.
"""

from __future__ import annotations

from .parser import SearchRequest, parse_sosl
from .search import run_search

__all__ = ["SearchRequest", "parse_sosl", "run_search"]
