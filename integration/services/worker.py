"""The outbox worker: every push and activity goes through it (X-16, X-21, X-28, X-29).

Drive it step by step with `run_once()` or until idle with `drain()`; the clock comes from the
store, so tests move time instead of sleeping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from integration.domain.health import ErrorClass, classify
from integration.domain.model import Direction
from integration.domain.ownership import NoUsableCredential
from integration.salesforce.errors import OAuthError, SalesforceError
from integration.services.activities import LOG_ACTIVITY_JOB, ActivityLogger
from integration.services.connections import QUOTA_PAUSE
from integration.services.errors import CredentialUnavailable, ParentNotSynced, SyncFailure
from integration.services.health import ConnectionHealth
from integration.services.push import Pusher
from integration.storage.outbox import DONE, FAILED, PENDING, WAITING, LogLine
from integration.storage.rows import OutboxJob
from integration.store import Store

PUSH_RECORD_JOB = "push_record"
CHANGE_OWNER_JOB = "change_owner"
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=8),
    timedelta(minutes=30),
)
MAX_ATTEMPTS = 5

log = logging.getLogger("integration.worker")
CREDENTIAL_UNAVAILABLE = "CREDENTIAL_UNAVAILABLE"


@dataclass(frozen=True)
class JobReport:
    """What one step did: `state` is done, pending (will retry), waiting or failed."""

    job_id: int
    job: str
    subject_app_id: str
    state: str
    error_code: str = ""
    message: str = ""


class OutboxWorker:
    def __init__(
        self,
        store: Store,
        pusher: Pusher,
        activities: ActivityLogger,
        backoff: tuple[timedelta, ...] = BACKOFF,
        max_attempts: int = MAX_ATTEMPTS,
        health: ConnectionHealth | None = None,
    ) -> None:
        self.store = store
        self.health = health or ConnectionHealth(store)
        self.pusher = pusher
        self.activities = activities
        self.backoff = backoff
        self.max_attempts = max_attempts

    def run_once(self) -> JobReport | None:
        """Run the oldest due job, or return None when nothing is due."""
        due = self.store.due_jobs(self.store.now(), limit=1)
        if not due:
            return None
        return self._run(due[0])

    def run_job(self, job_id: int) -> JobReport:
        """Run one queued job now, as a worker that claimed it would (one thread per job)."""
        return self._run(self.store.job(job_id))

    def drain(self, max_steps: int = 200) -> list[JobReport]:
        """Run due jobs until none is due (retries scheduled later are left for later)."""
        reports: list[JobReport] = []
        for _ in range(max_steps):
            report = self.run_once()
            if report is None:
                break
            reports.append(report)
        return reports

    def resync(self, entry_id: int) -> int:
        """X-28: put a logged failure back in the outbox; the log entry is marked resolved."""
        entry = self.store.log_entry(entry_id)
        if entry.outbox_id is None:
            raise ValueError(f"sync log entry {entry_id} has no outbox job")
        self.store.update_job(entry.outbox_id, PENDING, 0, self.store.now())
        self.store.resolve_log_entry(entry_id)
        return entry.outbox_id

    def _run(self, job: OutboxJob) -> JobReport:
        try:
            self._execute(job)
        except ParentNotSynced as waiting:
            self.store.wait_for(job.job_id, waiting.person_app_id)
            return JobReport(
                job.job_id, job.job, job.subject_app_id, WAITING, "PARENT_NOT_SYNCED", str(waiting)
            )
        except (CredentialUnavailable, NoUsableCredential) as unavailable:
            return self._waits_for_credential(job, str(unavailable))
        except SyncFailure as failure:
            return self._failed_call(job, failure)
        except (SalesforceError, OAuthError) as error:
            return self._failed_call(job, SyncFailure(error, _job_sobject(job), None))
        except Exception as unexpected:
            log.exception("outbox job %s failed unexpectedly", job.job_id)
            return self._failed_call(job, SyncFailure(unexpected, _job_sobject(job), None))
        self.store.update_job(job.job_id, DONE, job.attempts + 1, self.store.now())
        return JobReport(job.job_id, job.job, job.subject_app_id, DONE)

    def _waits_for_credential(self, job: OutboxJob, reason: str) -> JobReport:
        """X-28: work that waits for a reconnect is visible in the sync log (once per job)
        and keeps waiting with back-off; nothing is dropped."""
        if not job.last_error.startswith(CREDENTIAL_UNAVAILABLE):
            self.store.log(
                LogLine(
                    job.team_id,
                    _job_sobject(job),
                    job.subject_app_id,
                    Direction.PUSH.value,
                    CREDENTIAL_UNAVAILABLE,
                    f"waiting for a usable Salesforce connection: {reason}",
                    level="warning",
                    retryable=True,
                    attempts=job.attempts,
                    outbox_id=job.job_id,
                )
            )
        return self._later(job, job.attempts, CREDENTIAL_UNAVAILABLE, reason)

    def _execute(self, job: OutboxJob) -> None:
        if job.job == PUSH_RECORD_JOB:
            self.pusher.push(job.member_id, job.subject_app_id)
        elif job.job == CHANGE_OWNER_JOB:
            self.pusher.change_owner(job.member_id, job.subject_app_id, int(job.argument or 0))
        elif job.job == LOG_ACTIVITY_JOB:
            self.activities.push(job.subject_app_id, retry=job.attempts > 0)
        else:
            raise ValueError(f"unknown outbox job {job.job}")

    def _failed_call(self, job: OutboxJob, failure: SyncFailure) -> JobReport:
        code, status, message = _describe(failure.cause)
        error_class = classify(code, status)
        if isinstance(failure.cause, OAuthError) and failure.cause.is_busy:
            error_class = ErrorClass.RETRYABLE
        if error_class is ErrorClass.QUOTA:
            return self._later(job, job.attempts, code, message, QUOTA_PAUSE)
        if error_class is ErrorClass.AUTH_PERMANENT:
            # The connection is needs_reauth now; run again at once: a member falls back to TS
            # and with no usable credential left the job waits with back-off.
            return self._later(job, job.attempts, code, message, timedelta(0))
        attempts = job.attempts + 1
        self.health.lost_permission(failure.acting_credential_id, code, message)
        if error_class is ErrorClass.RETRYABLE and attempts < self.max_attempts:
            return self._later(job, attempts, code, message)
        self.store.update_job(job.job_id, FAILED, attempts, self.store.now(), message)
        self.store.log(
            LogLine(
                job.team_id,
                failure.sobject,
                job.subject_app_id,
                Direction.PUSH.value,
                code,
                message,
                acting_credential_id=failure.acting_credential_id,
                retryable=error_class is ErrorClass.RETRYABLE,
                attempts=attempts,
                outbox_id=job.job_id,
            )
        )
        return JobReport(job.job_id, job.job, job.subject_app_id, FAILED, code, message)

    def _later(
        self,
        job: OutboxJob,
        attempts: int,
        code: str,
        message: str,
        delay: timedelta | None = None,
    ) -> JobReport:
        step = min(max(attempts - 1, 0), len(self.backoff) - 1)
        wait = self.backoff[step] if delay is None else delay
        next_at: datetime = self.store.now() + wait
        self.store.update_job(job.job_id, PENDING, attempts, next_at, f"{code}: {message}")
        return JobReport(job.job_id, job.job, job.subject_app_id, PENDING, code, message)


def _job_sobject(job: OutboxJob) -> str:
    return "Activity" if job.job == LOG_ACTIVITY_JOB else "Record"


def _describe(error: Exception) -> tuple[str, int | None, str]:
    if isinstance(error, SalesforceError):
        return error.error_code, error.http_status, error.message
    if isinstance(error, OAuthError):
        return error.error, error.http_status, error.description
    return type(error).__name__, None, str(error)
