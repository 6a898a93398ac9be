"""``/limits``: the org's allocations as Salesforce reports them."""

from __future__ import annotations

from typing import Any

from ..errors import ApiDisabledForOrg
from ..pipeline import limits
from ..pipeline.sessions import current_session
from . import bp

STATIC_LIMITS = {
    "DailyBulkApiBatches": 15000,
    "DailyBulkV2QueryJobs": 10000,
    "DailyAsyncApexExecutions": 250000,
    "DataStorageMB": 5,
    "FileStorageMB": 20,
    "HourlyTimeBasedWorkflow": 50,
    "SingleEmail": 15,
    "MassEmail": 10,
}


@bp.get("/v<version>/limits")
def org_limits(version: str) -> Any:
    """The org's limits; the caller needs "View Setup and Configuration" (reference §2.8)."""
    session = current_session()
    if not (session.perms.has("ViewSetup") or session.perms.has("ModifyAllData")):
        raise ApiDisabledForOrg("limits resource is not enabled")
    store = session.org
    allocation = limits.daily_limit(store)
    body: dict[str, Any] = {
        "DailyApiRequests": {
            "Max": allocation,
            # This call counts too: the pipeline writes it when the call ends.
            "Remaining": max(0, allocation - limits.used(store, pending=1)),
        }
    }
    body.update({name: {"Max": cap, "Remaining": cap} for name, cap in STATIC_LIMITS.items()})
    body.update(limits.bulk_limits(store))
    return body
