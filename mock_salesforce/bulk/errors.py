"""Bulk errors. Bulk API 2.0 answers in the REST shape ``[{"errorCode", "message"}]`` with the
codes upper-cased (``INVALIDJOB``, ``INVALIDJOBSTATE``, ``API_ERROR``, ``NOT_FOUND``); Bulk API 1.0
answers ``<error><exceptionCode>InvalidJob</exceptionCode>...`` (or its JSON form), HTTP 400.
"""

from __future__ import annotations

from typing import ClassVar

from ..errors import SalesforceError


class BulkError(SalesforceError):
    """A Bulk API error: ``error_code`` for 2.0, ``exception_code`` for 1.0."""

    include_fields: ClassVar[bool] = False
    exception_code: ClassVar[str] = "InvalidJob"


def _bulk(code: str, exception: str, status: int, message: str) -> type[BulkError]:
    return type(
        exception,
        (BulkError,),
        {
            "error_code": code,
            "exception_code": exception,
            "status": status,
            "default_message": message,
            "__doc__": f"Bulk error {code} / {exception} (HTTP {status}).",
        },
    )


InvalidJob = _bulk("INVALIDJOB", "InvalidJob", 400, "Invalid job")
InvalidJobState = _bulk("INVALIDJOBSTATE", "InvalidJobState", 400, "Invalid job state")
InvalidBatch = _bulk("INVALIDBATCH", "InvalidBatch", 400, "Invalid batch")
ApiError = _bulk("API_ERROR", "InvalidJob", 400, "API error")
ClientInputError = _bulk("CLIENTINPUTERROR", "ClientInputError", 400, "Invalid input")
JobNotFound = _bulk("NOT_FOUND", "InvalidJob", 404, "The requested resource does not exist")
JobNotComplete = _bulk("JOB_NOT_COMPLETE", "InvalidJobState", 412, "Job not complete")
VersionMismatch = _bulk("API_ERROR", "InvalidVersion", 409, "API version mismatch")
ExceededQuota = _bulk("EXCEEDEDQUOTA", "ExceededQuota", 400, "Exceeded quota")
InvalidUrl = _bulk("NOT_FOUND", "InvalidUrl", 404, "The requested resource does not exist")
FeatureNotEnabled = _bulk("FEATURENOTENABLED", "FeatureNotEnabled", 400, "Feature not enabled")
