"""``/services/data``: the REST API. Views are thin; behaviour lives in the models."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, request

from .. import pipeline
from ..errors import NotFound
from ..oauth.clients import identity_url
from ..pipeline.sessions import current_session
from ..versions import MAX_VERSION, MIN_VERSION

bp = Blueprint("rest", __name__, url_prefix="/services/data")
pipeline.install(bp, "rest")

SEASONS = ("Winter", "Spring", "Summer")


def version_label(major: int) -> str:
    """Release name of an API version: 59.0 is Winter '24, 60.0 Spring '24, ..."""
    offset = major - 59
    return f"{SEASONS[offset % 3]} '{24 + offset // 3:02d}"


@bp.url_value_preprocessor
def _check_version(endpoint: str | None, values: dict[str, Any] | None) -> None:
    version = (values or {}).get("version")
    if version is not None and not valid_version(str(version)):
        raise NotFound()


@lru_cache(maxsize=256)  # a pure function, asked on every call
def valid_version(version: str) -> bool:
    """``59.0``: a version this mock serves."""
    major, _, minor = version.partition(".")
    return (
        major.isdigit()
        and len(major) <= 3
        and minor == "0"
        and MIN_VERSION <= int(major) <= MAX_VERSION
    )


@bp.get("")
@pipeline.public
def versions() -> Any:
    """``GET /services/data``: the versions list, no session needed."""
    return [
        {"label": version_label(v), "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
        for v in range(MIN_VERSION, MAX_VERSION + 1)
    ]


# Only what the mock serves; Salesforce lists more (search, recent, tooling, ui-api, ...).
RESOURCES = (
    "sobjects",
    "query",
    "queryAll",
    "search",
    "parameterizedSearch",
    "composite",
    "limits",
)


@bp.get("/v<version>")
def resources(version: str) -> Any:
    """``GET /services/data/vNN.0``: the resources of a version, name -> relative URL.

    Salesforce also lists ``identity``, the caller's own identity URL (absolute); jsforce's
    ``identity()`` reads it when the connection was built from a bare access token.
    """
    session = current_session()
    listed: dict[str, str] = {name: f"/services/data/v{version}/{name}" for name in RESOURCES}
    listed["identity"] = identity_url(session.org, session.user_id)
    return listed


def api_version() -> str:
    """The API version of the request being served (``59.0``)."""
    return str((request.view_args or {}).get("version", "59.0"))


from . import composite, limits, query, search, sobjects  # noqa: E402,F401  (routes on bp)
