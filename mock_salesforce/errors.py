"""Salesforce errors as types, rendered in one place.

REST errors answer ``[{"message": ..., "errorCode": ..., "fields": [...]}]`` with the status
Salesforce uses for that code (REST API Developer Guide, "Status Codes and Error Responses";
REST API Developer Guide, "Status Codes and Error Responses"). OAuth errors answer ``{"error",
"error_description"}``.
Raise the subclass anywhere; ``mock_salesforce.app`` renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar


class SalesforceError(Exception):
    """A REST API error: one subclass per Salesforce ``errorCode``."""

    error_code: ClassVar[str] = "UNKNOWN_EXCEPTION"
    status: ClassVar[int] = 400
    default_message: ClassVar[str] = "An unexpected error occurred."
    include_fields: ClassVar[bool] = True

    def __init__(self, message: str | None = None, fields: Sequence[str] | None = ()) -> None:
        """``fields=None``: this answer carries no ``fields`` list (SOQL's errors have none)."""
        self.message = message if message is not None else self.default_message
        self.fields = list(fields or ())
        self.show_fields = self.include_fields and fields is not None
        self.http_status = self.status
        super().__init__(self.message)

    def to_json(self) -> dict[str, Any]:
        """The error object as it appears inside Salesforce's error array."""
        body: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.show_fields:
            body["fields"] = self.fields
        return body

    def to_save_error(self) -> dict[str, Any]:
        """The error as it appears in a save result (collections): ``statusCode``, not errorCode."""
        return {"statusCode": self.error_code, "message": self.message, "fields": self.fields}


def _code(code: str, status: int, message: str, fields: bool = True) -> type[SalesforceError]:
    return type(
        "".join(part.capitalize() for part in code.split("_")),
        (SalesforceError,),
        {
            "error_code": code,
            "status": status,
            "default_message": message,
            "include_fields": fields,
            "__doc__": f"Salesforce errorCode {code} (HTTP {status}).",
        },
    )


class UnknownException(SalesforceError):
    """An unexpected failure inside the mock (HTTP 500); logged, never a traceback."""

    error_code = "UNKNOWN_EXCEPTION"
    status = 500
    include_fields = False


InvalidSessionId = _code("INVALID_SESSION_ID", 401, "Session expired or invalid", fields=False)
NotFound = _code("NOT_FOUND", 404, "The requested resource does not exist", fields=False)
EntityIsDeleted = _code("ENTITY_IS_DELETED", 404, "entity is deleted")
MethodNotAllowed = _code("METHOD_NOT_ALLOWED", 405, "HTTP Method not allowed", fields=False)
JsonParserError = _code("JSON_PARSER_ERROR", 400, "Invalid JSON", fields=False)
MalformedId = _code("MALFORMED_ID", 400, "malformed id")
InvalidField = _code("INVALID_FIELD", 400, "No such column")
InvalidFieldForInsertUpdate = _code(
    "INVALID_FIELD_FOR_INSERT_UPDATE", 400, "Unable to create/update fields"
)
RequiredFieldMissing = _code("REQUIRED_FIELD_MISSING", 400, "Required fields are missing")
StringTooLong = _code("STRING_TOO_LONG", 400, "data value too large")
InvalidOrNullForRestrictedPicklist = _code(
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", 400, "bad value for restricted picklist field"
)
InvalidType = _code("INVALID_TYPE", 400, "sObject type is not supported.", fields=False)
InvalidTypeOnFieldInRecord = _code("INVALID_TYPE_ON_FIELD_IN_RECORD", 400, "invalid value")
FieldIntegrityException = _code("FIELD_INTEGRITY_EXCEPTION", 400, "field integrity exception")
InvalidCrossReferenceKey = _code("INVALID_CROSS_REFERENCE_KEY", 400, "invalid cross reference id")
InsufficientAccessOrReadonly = _code(
    "INSUFFICIENT_ACCESS_OR_READONLY", 400, "insufficient access rights on object id"
)
InsufficientAccessOnCrossReferenceEntity = _code(
    "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
    400,
    "insufficient access rights on cross-reference id",
)
InactiveOwnerOrUser = _code("INACTIVE_OWNER_OR_USER", 400, "operation performed with inactive user")
DuplicateValue = _code("DUPLICATE_VALUE", 400, "duplicate value found")
DuplicateExternalId = _code("DUPLICATE_EXTERNAL_ID", 300, "more than one record found")
CannotInsertUpdateActivateEntity = _code(
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", 400, "entity type cannot be inserted"
)


class MalformedQuery(SalesforceError):
    """MALFORMED_QUERY (HTTP 400). A syntax error keeps its 1-based position: Salesforce's
    message shows the line, a caret and `ERROR at Row:r:Column:c` (docs/soql.md, "Errors")."""

    error_code = "MALFORMED_QUERY"
    default_message = "malformed query"
    include_fields = False

    def __init__(
        self, message: str | None = None, row: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


InvalidQueryLocator = _code("INVALID_QUERY_LOCATOR", 400, "invalid query locator", fields=False)
InvalidQueryFilterOperator = _code(
    "INVALID_QUERY_FILTER_OPERATOR", 400, "invalid query filter operator", fields=False
)
QueryTimeout = _code(
    "QUERY_TIMEOUT", 400, "Your query request was running for too long.", fields=False
)
RequestLimitExceeded = _code(
    "REQUEST_LIMIT_EXCEEDED", 403, "TotalRequests Limit exceeded.", fields=False
)
ApiDisabledForOrg = _code(
    "API_DISABLED_FOR_ORG", 403, "The REST API is not enabled for this Organization.", False
)
ApiCurrentlyDisabled = _code(
    "API_CURRENTLY_DISABLED", 403, "API is disabled for this User", fields=False
)
UnableToLockRow = _code(
    "UNABLE_TO_LOCK_ROW", 400, "unable to obtain exclusive access to this record"
)
ServerUnavailable = _code("SERVER_UNAVAILABLE", 503, "Server unavailable", fields=False)
EntityIsLocked = _code("ENTITY_IS_LOCKED", 400, "This record is locked.")
FieldCustomValidationException = _code(
    "FIELD_CUSTOM_VALIDATION_EXCEPTION", 400, "validation rule failed"
)
DuplicatesDetected = _code("DUPLICATES_DETECTED", 400, "Use one of these records?")
ProcessingHalted = _code("PROCESSING_HALTED", 400, "processing halted", fields=False)
BatchProcessingHalted = _code(
    "BATCH_PROCESSING_HALTED", 412, "Batch processing halted per request", fields=False
)
InvalidSearch = _code("INVALID_SEARCH", 400, "invalid search", fields=False)
MalformedSearch = _code("MALFORMED_SEARCH", 400, "malformed search", fields=False)
AllOrNoneOperationRolledBack = _code(
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    400,
    "Record rolled back because not all records were valid and the request was using AllOrNone"
    " header",
)
PreconditionFailed = _code(
    "PRECONDITION_FAILED", 412, "The requested resource has been modified.", fields=False
)
InvalidOperation = _code("INVALID_OPERATION", 400, "invalid operation")
UnsupportedMediaType = _code(
    "UNSUPPORTED_MEDIA_TYPE", 415, "Content type not supported", fields=False
)
InvalidInput = _code("INVALID_INPUT", 400, "invalid input", fields=False)
NumberOutsideValidRange = _code(
    "NUMBER_OUTSIDE_VALID_RANGE", 400, "value outside of valid range on numeric field"
)
ExceededIdLimit = _code("EXCEEDED_ID_LIMIT", 400, "record limit exceeded", fields=False)

InvalidEmailAddress = _code("INVALID_EMAIL_ADDRESS", 400, "invalid email address")
InvalidReplicationDate = _code(
    "INVALID_REPLICATION_DATE", 400, "the replication window is not valid", fields=False
)
MissingArgument = _code("MISSING_ARGUMENT", 400, "a required argument is missing", fields=False)

_BY_CODE: dict[str, type[SalesforceError]] = {
    cls.error_code: cls
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, SalesforceError) and cls is not SalesforceError
}


def error_class(code: str) -> type[SalesforceError]:
    """The exception class for a Salesforce ``errorCode`` (a generic 400 class when unknown)."""
    known = _BY_CODE.get(code)
    if known is not None:
        return known
    return _code(code, 400, code.replace("_", " ").lower())


def known_error_codes() -> list[str]:
    """Every errorCode the mock can raise by name (faults use this list)."""
    return sorted(_BY_CODE)


class OAuthError(Exception):
    """An OAuth endpoint error: ``{"error": ..., "error_description": ...}`` (HTTP 400 default)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        self.error = error
        self.description = description
        self.status = status
        super().__init__(f"{error}: {description}")

    def to_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


class ControlError(Exception):
    """Bad input on the control plane (``/_mock``): a 400 that says what is wrong."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.message = message
        self.status = status
        super().__init__(message)
