"""Which Salesforce user made which call (the mock's journal)"""

from __future__ import annotations

from pytest_bdd import then

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg, instance_host
from ..phrase import phrase

WRITES = ("create_record", "upsert_by_external_id", "update_record", "upsert")


@then(phrase('Salesforce saw the {sobject} written with the token of "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, username: str) -> None:
    """Every write of that object in the journal was made as that user.

    Example: Then Salesforce saw the Contact written with the token of "int@acme.test"
    """
    writes = [e for e in salesforce.journal(sobject=sobject) if e["method"] in ("POST", "PATCH")]
    users = sorted({e["username"] for e in writes})
    assert writes and users == [username], f"writes of {sobject} were made by {users}"


@then(phrase('no call was made with the token of "{username}"'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """That user's token never reached the API.

    Example: Then no call was made with the token of "alice@acme.test"
    """
    calls = salesforce.journal(user=username)
    assert calls == [], [(c["method"], c["path"]) for c in calls]


@then(phrase("Salesforce saw no {sobject} write"))
def _(salesforce: SalesforceOrg, sobject: str) -> None:
    """No create or update of that object reached Salesforce.

    Example: Then Salesforce saw no Task write
    """
    writes = [e for e in salesforce.journal(sobject=sobject) if e["method"] in ("POST", "PATCH")]
    assert writes == [], writes


@then(phrase("the token endpoint was called {count:d} times for a refresh"))
@then(phrase("the token endpoint was called {count:d} time for a refresh"))
def _(salesforce: SalesforceOrg, count: int) -> None:
    """How many refresh-token requests reached Salesforce.

    Example: Then the token endpoint was called 1 time for a refresh
    """
    refreshes = [
        e for e in salesforce.journal(api="oauth") if e.get("operation") == "refresh_token"
    ]
    assert len(refreshes) == count, refreshes


@then(phrase('every call with the token of "{username}" went to the org\'s own instance'))
def _(salesforce: SalesforceOrg, sales_app: SalesApp, username: str) -> None:
    """The credential keeps the instance URL its token answer named, and only that host is called.

    Example: Then every call with the token of "alice@acme.test" went to the org's own instance
    """
    instance = instance_host(salesforce.base_url)
    credentials = [
        c
        for c in (
            sales_app.team_sync_credential(),
            *[sales_app.personal_credential(m) for m in sales_app.members],
        )
        if c and c.username == username
    ]
    assert credentials, f"no credential for {username}"
    assert {c.instance_url for c in credentials} == {instance}, credentials
    calls = salesforce.journal(user=username, api="rest")
    assert calls, f"no REST call was made as {username}"
    hosts = {c.get("host") for c in calls}
    assert hosts == {instance.split("://", 1)[1]}, f"REST calls went to {hosts}, not {instance}"
