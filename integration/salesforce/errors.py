"""Typed errors for Salesforce answers; `raise_for_rest` / `raise_for_oauth` map HTTP to them."""

from __future__ import annotations

from typing import Any

import requests

from integration.domain.health import PERMANENT_OAUTH_ERRORS, is_busy_refresh

PERMISSION_CODES = frozenset(
    {
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        "INSUFFICIENT_ACCESS_OR_READONLY",
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
        "API_CURRENTLY_DISABLED",
        "API_DISABLED_FOR_ORG",
    }
)


class SalesforceError(Exception):
    """Any error answer from Salesforce's REST API (`[{message, errorCode, fields}]`)."""

    retryable = False

    def __init__(
        self,
        error_code: str,
        message: str,
        http_status: int | None = None,
        fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{error_code}: {message}")
        self.error_code = error_code
        self.message = message
        self.http_status = http_status
        self.fields = fields


class InvalidSession(SalesforceError):
    """401 INVALID_SESSION_ID: the access token expired or was revoked."""


class RequestLimitExceeded(SalesforceError):
    """403 REQUEST_LIMIT_EXCEEDED: throttling, not an auth failure (X-16)."""

    retryable = True


class PermissionDenied(SalesforceError):
    """Field or object security refused the write; `field` names the first field involved."""

    @property
    def field(self) -> str | None:
        return self.fields[0] if self.fields else None


class RecordError(SalesforceError):
    """A record-level refusal (validation, required field, not found, ...): not retried."""


class Retryable(SalesforceError):
    """UNABLE_TO_LOCK_ROW, 5xx, timeouts and connection errors (X-21)."""

    retryable = True


class MultipleMatches(SalesforceError):
    """300 on upsert: several records carry the external id."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__("MULTIPLE_CHOICES", f"{len(urls)} records match", 300)
        self.urls = urls


class OAuthError(Exception):
    """An OAuth endpoint answered `{"error", "error_description"}` (or the flow failed)."""

    def __init__(self, error: str, description: str = "", http_status: int | None = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.http_status = http_status

    @property
    def is_permanent(self) -> bool:
        """invalid_grant / invalid_client never heal by retrying (X-07)."""
        return self.error in PERMANENT_OAUTH_ERRORS and not self.is_busy

    @property
    def is_busy(self) -> bool:
        """X-11: "Token request is already being processed" means wait and re-read."""
        return is_busy_refresh(self.description)


def raise_for_rest(response: requests.Response) -> None:
    """Raise the typed error for a REST answer of 300 or more."""
    status = response.status_code
    if status < 300:
        return
    body = _json_or_none(response)
    if status == 300:
        raise MultipleMatches([str(url) for url in body] if isinstance(body, list) else [])
    raise rest_error(status, body, response.text)


def rest_error(status: int, body: Any, text: str = "") -> SalesforceError:
    """The typed error for an error answer (status 400 or more): a call's, or a composite
    subrequest's ``httpStatusCode`` and ``body``."""
    code, message, fields = _first_error(body, text)
    return _rest_error_type(code, status)(code, message, status, fields)


def _rest_error_type(code: str, status: int) -> type[SalesforceError]:
    if code == "INVALID_SESSION_ID" or status == 401:
        return InvalidSession
    if code == "REQUEST_LIMIT_EXCEEDED":
        return RequestLimitExceeded
    if code == "UNABLE_TO_LOCK_ROW" or status >= 500:
        return Retryable
    if code in PERMISSION_CODES:
        return PermissionDenied
    return RecordError


def _first_error(body: Any, text: str) -> tuple[str, str, tuple[str, ...]]:
    errors = body if isinstance(body, list) else [body]
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    code = str(first.get("errorCode") or first.get("statusCode") or "UNKNOWN_ERROR")
    message = str(first.get("message") or text[:200])
    fields = tuple(str(name) for name in first.get("fields") or ())
    if code == "INVALID_FIELD_FOR_INSERT_UPDATE" and not fields:
        fields = _fields_from_message(message)
    return code, message, fields


def _fields_from_message(message: str) -> tuple[str, ...]:
    # "Unable to create/update fields: CreatedById. Please check ..." (REST guide errorcodes)
    _, _, rest = message.partition("fields:")
    names = rest.split(".")[0] if rest else ""
    return tuple(name.strip() for name in names.split(",") if name.strip())


def raise_for_oauth(response: requests.Response) -> None:
    """Raise OAuthError for an OAuth endpoint answer of 400 or more."""
    if response.status_code < 400:
        return
    body = _json_or_none(response)
    if isinstance(body, dict) and "error" in body:
        raise OAuthError(
            str(body["error"]), str(body.get("error_description", "")), response.status_code
        )
    if response.status_code >= 500:
        raise Retryable("SERVER_UNAVAILABLE", response.text[:200], response.status_code)
    raise OAuthError("http_error", response.text[:200], response.status_code)


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
