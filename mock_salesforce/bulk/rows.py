"""One bulk row = one real DML call, as the job's user, through ``records/``.

Insert, update, upsert and delete are the REST API's own calls (permissions, field-level
security, OwnerId / CreatedById, validation, sharing), each in its own transaction, so a failed
row leaves nothing behind and does not fail the job (Bulk API 2.0 guide: record-level errors
end in ``failedResults``). ``hardDelete`` deletes, then removes the row for good (no Recycle
Bin). Before each row the org's fault rules for ``operation: bulk_row`` run, so a test can make
chosen rows fail with a Salesforce error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import errors, ids
from ..errors import OAuthError, SalesforceError
from ..pipeline import faults
from ..pipeline.sessions import Session, security_for
from ..records import dml, upsert
from ..records.context import Caller, id_label
from ..schema import ObjectDef
from ..store import OrgStore
from .jobs import RowResult

DML_OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")
CHUNK = 200  # Salesforce runs bulk rows in chunks of 200 records per transaction


def job_caller(store: OrgStore, user_id: str, version: str) -> Caller:
    """The job's creator as a caller of the records/ DML (permissions read now, as Salesforce
    checks them when the rows run)."""
    session = Session(store, user_id, None, "api", "", security_for(store))
    return Caller(session, version)


@dataclass(frozen=True)
class RowRun:
    """What every row of a job shares: who runs it, on what, how, and where faults match."""

    caller: Caller
    obj: ObjectDef
    operation: str
    external_id_field: str | None
    api: str
    job_id: str

    def execute(self, number: int, record: Mapping[str, Any]) -> RowResult:
        """Run row ``number`` (1-based); the result says ok or error, never raises."""
        known_id = _given_id(record)
        try:
            self._faults(number)
            record_id, created = self._dml(dict(record))
        except SalesforceError as exc:
            failed_id = known_id if self.operation != "insert" else None
            return RowResult(
                "error",
                record_id=failed_id,
                status_code=exc.error_code,
                message=exc.message,
                fields=list(exc.fields),
            )
        return RowResult("ok", record_id=record_id, created=created)

    def _faults(self, number: int) -> None:
        perms = self.caller.perms
        call = {
            "operation": faults.ROW_OPERATION,
            "user_id": self.caller.user_id,
            "username": perms.user.username,
            "sobject": self.obj.name,
            "method": self.operation,
            "api": self.api,
            "path": self.job_id,
            "row": str(number),
        }
        try:
            faults.apply(self.caller.store, call)
        except OAuthError as exc:
            raise errors.UnknownException(exc.description) from None

    def _dml(self, record: dict[str, Any]) -> tuple[str, bool]:
        caller, name = self.caller, self.obj.name
        if self.operation == "insert":
            return dml.create(caller, name, record), True
        if self.operation == "upsert":
            field = self.external_id_field or "Id"
            value = next((v for k, v in record.items() if k.lower() == field.lower()), None)
            try:
                result = upsert.upsert(
                    caller, name, field, "" if value is None else str(value), record
                )
            except upsert.MultipleMatches as many:
                raise many.as_error() from None
            return result.id, result.created
        record_id = self._record_id(record)
        if self.operation == "update":
            return dml.update(caller, name, record_id, record), False
        if self.operation == "delete":
            return dml.delete(caller, name, record_id), False
        with caller.store.transaction():
            dml.delete(caller, name, record_id)
            caller.store.delete_row(self.obj, record_id)
        return record_id, False

    def _record_id(self, record: dict[str, Any]) -> str:
        raw = next((record.pop(k) for k in list(record) if k.lower() == "id"), None)
        if raw is None or raw == "":
            raise errors.MissingArgument(f"Id not specified in an {self.operation} call")
        normalized = ids.normalize(str(raw))
        if normalized is None or normalized[:3] != self.obj.key_prefix:
            raise errors.MalformedId(
                f"{id_label(self.obj)}: id value of incorrect type: {raw}", ["Id"]
            )
        return normalized


def in_chunks(store: OrgStore, count: int, run_one: Callable[[int], RowResult]) -> list[RowResult]:
    """``run_one(i)`` for ``i`` in ``range(count)``, 200 rows per outer transaction (each row
    still in its own savepoint, so a failed row leaves nothing behind); other calls interleave
    between chunks."""
    results: list[RowResult] = []
    for start in range(0, count, CHUNK):
        with store.transaction():
            results.extend(run_one(i) for i in range(start, min(count, start + CHUNK)))
    return results


def _given_id(record: Mapping[str, Any]) -> str | None:
    raw = next((v for k, v in record.items() if k.lower() == "id"), None)
    if raw is None or raw == "":
        return None
    return ids.normalize(str(raw)) or str(raw)


def value_error(problem: Exception, field: str | None) -> RowResult:
    """A row whose value could not be read: the error it ends with."""
    message = getattr(problem, "message", str(problem))
    return RowResult(
        "error", status_code="INVALID_FIELD", message=message, fields=[field] if field else []
    )
