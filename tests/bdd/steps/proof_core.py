"""Steps that prove the rules where the core met another rule (issue 11, section 1)"""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from integration.storage.rows import SyncLogEntry

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg, instance_host


def _entries(sales_app: SalesApp, code: str) -> list[SyncLogEntry]:
    return [e for e in sales_app.core.store.sync_log(sales_app.team_id) if e.error_code == code]


def _seen(sales_app: SalesApp) -> list[tuple[str, str, str]]:
    return [
        (e.error_code, e.record, e.message)
        for e in sales_app.core.store.sync_log(sales_app.team_id)
    ]


@given("push settings do not create new accounts")
def _(sales_app: SalesApp) -> None:
    """Push settings: new companies are not created in Salesforce (S-13).

    Example: Given push settings do not create new accounts
    """
    sales_app.set_push_settings(create_accounts=False)


@given(parsers.parse("Salesforce commits the next {sobject} write but its answer is lost"))
def _(salesforce: SalesforceOrg, sobject: str) -> None:
    """The next write of that object is saved in Salesforce, then answered with a 503 (X-27).

    Example: Given Salesforce commits the next Task write but its answer is lost
    """
    salesforce.admin.add_fault(
        match={"sobject": sobject, "method": "PATCH"},
        error={"errorCode": "SERVER_UNAVAILABLE"},
        times=1,
        after_commit=True,
    )


@given("the integration permission set cannot read user logins")
def _(salesforce: SalesforceOrg) -> None:
    """Take Manage Users away from the team sync user: UserLogin (frozen) is hidden from it.

    Example: Given the integration permission set cannot read user logins
    """
    salesforce.admin.call(
        "PATCH", "/permission-sets/Sales_Sync", {"user_permissions": {"ManageUsers": False}}
    )


@given(parsers.parse('the team marks profile "{profile}" as an integration profile'))
def _(sales_app: SalesApp, profile: str) -> None:
    """The admin says users of that profile are dedicated integration users (S-03).

    Example: Given the team marks profile "System Administrator" as an integration profile
    """
    sales_app.core.store.set_integration_profiles(sales_app.team_id, [profile])


@then(parsers.parse('the sync log warns "{code}" about the activity "{subject}"'))
def _(sales_app: SalesApp, code: str, subject: str) -> None:
    """A sync-log entry with that code for the activity logged with that subject.

    Example: Then the sync log warns "OWNER_FALLBACK" about the activity "Send proposal"
    """
    app_id = sales_app.activity_id(subject)
    found = [e for e in _entries(sales_app, code) if e.record == app_id]
    assert found, f"no {code} entry for activity {subject!r}; the sync log has {_seen(sales_app)}"


@then(parsers.parse('the sync log has {count:d} "{code}" entry'))
def _(sales_app: SalesApp, count: int, code: str) -> None:
    """How many sync-log entries carry that code (said once, not on every run).

    Example: Then the sync log has 1 "FIELD_NOT_READABLE" entry
    """
    found = _entries(sales_app, code)
    assert len(found) == count, (
        f"expected {count} {code} entries, found {len(found)}; the sync log has {_seen(sales_app)}"
    )


@then(parsers.parse('the team sync connection is degraded because "{text}"'))
def _(sales_app: SalesApp, text: str) -> None:
    """Team sync is degraded now, with the reason (no preflight re-run needed).

    Example: Then the team sync connection is degraded because "INSUFFICIENT_ACCESS_OR_READONLY"
    """
    credential = sales_app.team_sync_credential()
    assert credential is not None, "no team sync credential"
    seen = f"{credential.status.value}: {credential.status_reason}"
    assert credential.status.value == "degraded" and text in credential.status_reason, (
        f"team sync should be degraded because {text!r}; it is {seen}"
    )


@then("no outbox job failed")
def _(sales_app: SalesApp) -> None:
    """Every queued push and activity finished or still waits; none failed for good.

    Example: Then no outbox job failed
    """
    jobs = sales_app.core.store.jobs(sales_app.team_id)
    failed = [(j.job, j.subject_app_id, j.last_error) for j in jobs if j.state == "failed"]
    assert not failed, f"failed outbox jobs: {failed}"


@then("client credentials were only asked for at the org's own host")
def _(salesforce: SalesforceOrg) -> None:
    """Every client-credentials token request went to the org's My Domain, none to the login host.

    Example: Then client credentials were only asked for at the org's own host
    """
    own = instance_host(salesforce.base_url).split("://", 1)[1]
    calls = [
        e for e in salesforce.journal(api="oauth") if e.get("operation") == "client_credentials"
    ]
    hosts = sorted({str(e.get("host")) for e in calls})
    assert calls and hosts == [own], (
        f"client credentials should go to {own} only; token requests went to {hosts}"
    )


@given("the connected app requires PKCE")
def _(salesforce: SalesforceOrg) -> None:
    """Salesforce refuses the web-server flow without a PKCE challenge for this app (S-05).

    Example: Given the connected app requires PKCE
    """
    salesforce.admin.call("PATCH", f"/apps/{salesforce.app['client_id']}", {"pkce_required": True})


@given(parsers.parse("pull settings bring in {sobject}s where {condition}, and every {other}"))
def _(sales_app: SalesApp, sobject: str, condition: str, other: str) -> None:
    """Two objects pulled, a filter on the first one only (S-12).

    Example: Given pull settings bring in Contacts where LeadSource = 'Web', and every Lead
    """
    from integration.domain.model import SObject

    objects = frozenset({SObject(sobject), SObject(other)})
    sales_app.set_pull_settings(objects, {SObject(sobject): condition})


@then(parsers.parse('every query Salesforce saw was made with the token of "{username}"'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """Reads (SOQL) only ever ran as that user: pulls never borrow a member's login (S-01).

    Example: Then every query Salesforce saw was made with the token of "int@acme.test"
    """
    queries = [e for e in salesforce.journal(api="rest") if e.get("soql")]
    users = sorted({str(e.get("username")) for e in queries})
    assert queries and users == [username], (
        f"S-01: queries should run as {username} only; they ran as {users}"
    )


@given(parsers.parse('Salesforce answers the next query with "{error_code}"'))
def _(salesforce: SalesforceOrg, error_code: str) -> None:
    """The next SOQL query fails with that Salesforce error (a pull's read, for instance).

    Example: Given Salesforce answers the next query with "UNABLE_TO_LOCK_ROW"
    """
    salesforce.admin.add_fault(
        match={"path": "/query", "method": "GET"}, error={"errorCode": error_code}, times=1
    )


@then(parsers.parse('the sync log has a failed pull of {sobject} with "{error_code}"'))
def _(sales_app: SalesApp, sobject: str, error_code: str) -> None:
    """A pull that failed is in the sync log: object, direction pull, code, acting user (X-28).

    Example: Then the sync log has a failed pull of Account with "UNABLE_TO_LOCK_ROW"
    """
    found = [
        e
        for e in _entries(sales_app, error_code)
        if e.direction == "pull" and e.sobject == sobject and e.acting_credential_id
    ]
    assert found, (
        f"X-28: no failed pull of {sobject} with {error_code}; the sync log has {_seen(sales_app)}"
    )
