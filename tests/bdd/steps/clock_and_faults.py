"""Time, expired sessions and Salesforce faults"""

from __future__ import annotations

from datetime import timedelta

from pytest_bdd import given, when

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase

MAX_WORKER_ROUNDS = 20


@given(phrase('the access tokens of "{username}" have expired'))
@when(phrase('the access tokens of "{username}" have expired'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """The user's sessions time out (refresh tokens stay valid).

    Example: Given the access tokens of "alice@acme.test" have expired
    """
    salesforce.admin.call("POST", f"/users/{username}/sessions/expire")


@given(phrase('the Salesforce grants of "{username}" have been revoked'))
@when(phrase('the Salesforce grants of "{username}" are revoked'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """An admin revoked every token of the user in Salesforce (access and refresh).

    Example: Given the Salesforce grants of "alice@acme.test" have been revoked
    """
    salesforce.admin.call("DELETE", f"/users/{username}/sessions")


@given(phrase('Salesforce answers the next {count:d} {sobject} writes with "{error_code}"'))
@given(phrase('Salesforce answers the next {sobject} write with "{error_code}"'))
def _(salesforce: SalesforceOrg, sobject: str, error_code: str, count: int = 1) -> None:
    """A fault: writes of that object fail with a Salesforce error (lock, 503, limits, ...).

    Example: Given Salesforce answers the next 2 Contact writes with "UNABLE_TO_LOCK_ROW"
    """
    salesforce.admin.add_fault(
        match={"sobject": sobject, "method": "PATCH"}, error={"errorCode": error_code}, times=count
    )


@given(phrase('Salesforce answers every call with "{error_code}"'))
def _(salesforce: SalesforceOrg, error_code: str) -> None:
    """A fault on every REST call until it is cleared.

    Example: Given Salesforce answers every call with "REQUEST_LIMIT_EXCEEDED"
    """
    salesforce.admin.add_fault(match={"api": "rest"}, error={"errorCode": error_code}, times=None)


@given("Salesforce recovers")
@when("Salesforce recovers")
def _(salesforce: SalesforceOrg) -> None:
    """Every fault is cleared.

    Example: When Salesforce recovers
    """
    salesforce.admin.clear_faults()


@when(phrase("{minutes:d} minutes pass"))
@given(phrase("{minutes:d} minutes pass"))
def _(salesforce: SalesforceOrg, sales_app: SalesApp, minutes: int) -> None:
    """Time moves on, for Salesforce and for the app alike.

    Example: When 30 minutes pass
    """
    salesforce.admin.advance_clock(minutes=minutes)
    sales_app.advance(timedelta(minutes=minutes))


@when("the sync worker runs")
def _(sales_app: SalesApp) -> None:
    """The app's outbox worker runs everything that is due now (retries wait for their time).

    Example: When the sync worker runs
    """
    sales_app.core.worker.drain()


@when("a minute passes")
@given("a minute passes")
def _(salesforce: SalesforceOrg, sales_app: SalesApp) -> None:
    """One minute goes by, for Salesforce and for the app alike.

    Example: And a minute passes
    """
    salesforce.admin.advance_clock(minutes=1)
    sales_app.advance(timedelta(minutes=1))


@given(
    phrase('Salesforce refuses the next {count:d} calls made as "{username}" with "{error_code}"')
)
@given(phrase('Salesforce refuses the next call made as "{username}" with "{error_code}"'))
def _(salesforce: SalesforceOrg, username: str, error_code: str, count: int = 1) -> None:
    """A fault on that user's REST calls (e.g. a session that stays invalid after a refresh).

    Example: Given Salesforce refuses the next 2 calls made as "alice@acme.test" with "INVALID_SESSION_ID"
    """
    salesforce.admin.add_fault(
        match={"user": username, "api": "rest"}, error={"errorCode": error_code}, times=count
    )


@when("the sync worker runs until nothing is due")
def _(salesforce: SalesforceOrg, sales_app: SalesApp) -> None:
    """The worker runs, and time jumps to each next retry, until no job is pending.

    Example: When the sync worker runs until nothing is due
    """
    for _ in range(MAX_WORKER_ROUNDS):
        sales_app.core.worker.drain()
        wait = sales_app.time_to_next_retry()
        if wait is None:
            return
        salesforce.admin.advance_clock(seconds=wait.total_seconds())
        sales_app.advance(wait)
    raise AssertionError(f"jobs still pending after {MAX_WORKER_ROUNDS} rounds")


@given(
    phrase("Salesforce's token endpoint answers the next {count:d} requests with {http_status:d}")
)
def _(salesforce: SalesforceOrg, count: int, http_status: int) -> None:
    """A fault on the OAuth token endpoint: a server error (e.g. 503), then it answers again.

    Example: Given Salesforce's token endpoint answers the next 2 requests with 503
    """
    salesforce.admin.add_fault(
        match={"api": "oauth", "path": "/services/oauth2/token"},
        error={"error": "temporarily_unavailable", "status": http_status},
        times=count,
    )


@given(phrase("Salesforce's token endpoint takes {seconds:d} second to answer"))
def _(salesforce: SalesforceOrg, seconds: int) -> None:
    """The next token request is answered, but only after a delay (so callers overlap).

    Example: Given Salesforce's token endpoint takes 1 second to answer
    """
    salesforce.admin.add_fault(
        match={"api": "oauth", "path": "/services/oauth2/token"}, latency_ms=seconds * 1000
    )


@given("the connected app's consumer secret has been rotated")
def _(salesforce: SalesforceOrg) -> None:
    """A Salesforce admin gives the app a new consumer secret; the app still has the old one.

    Example: Given the connected app's consumer secret has been rotated
    """
    app = salesforce.admin.call("GET", "/apps")[0]
    salesforce.admin.call("PATCH", f"/apps/{app['client_id']}", {"client_secret": "ROTATED"})
