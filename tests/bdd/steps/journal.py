"""Which Salesforce user made which call (the mock's journal)"""

from __future__ import annotations

from pytest_bdd import then

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg, instance_host
from ..phrase import phrase

WRITES = ("create_record", "upsert_by_external_id", "update_record", "upsert")


@then(phrase('Salesforce saw the {sobject} written with the token of "{username}"'))
def _(salesforce: SalesforceOrg, sobject: str, username: str) -> None:
    """Every write of that object Salesforce accepted was made as that user.

    Example: Then Salesforce saw the Contact written with the token of "int@acme.test"
    """
    # A write refused (say, with an expired token) is journaled too, without a user.
    journal = salesforce.journal(sobject=sobject)
    writes = [e for e in journal if e["method"] in ("POST", "PATCH") and e["status"] < 400]
    users = sorted({e["username"] for e in writes})
    assert writes and users == [username], f"writes of {sobject} were made by {users}"


@then(phrase('no call was made with the token of "{username}"'))
def _(salesforce: SalesforceOrg, sales_app: SalesApp, username: str) -> None:
    """Nothing reached Salesforce as that user: no API call, no login, no token refresh.

    Example: Then no call was made with the token of "alice@acme.test"
    """
    calls = [(c["method"], c["path"]) for c in salesforce.journal(user=username)]
    sent = sales_app.wire.with_tokens_of(salesforce.user_id(username))
    calls += [(r.method, r.url) for r in sent]
    assert calls == [], f"calls made as {username}: {calls}"


@then(phrase("Salesforce saw no {sobject} write"))
def _(salesforce: SalesforceOrg, sobject: str) -> None:
    """No create or update of that object reached Salesforce.

    Example: Then Salesforce saw no Task write
    """
    writes = [e for e in salesforce.journal(sobject=sobject) if e["method"] in ("POST", "PATCH")]
    assert writes == [], (
        f"Salesforce saw {sobject} writes: {[(w['method'], w['path'], w['username']) for w in writes]}"
    )


@then(phrase("the token endpoint was called {count:d} times for a refresh"))
@then(phrase("the token endpoint was called {count:d} time for a refresh"))
def _(salesforce: SalesforceOrg, count: int) -> None:
    """How many refresh-token requests reached Salesforce.

    Example: Then the token endpoint was called 1 time for a refresh
    """
    refreshes = [
        e for e in salesforce.journal(api="oauth") if e.get("operation") == "refresh_token"
    ]
    assert len(refreshes) == count, (
        f"the token endpoint was called {len(refreshes)} times for a refresh"
    )


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


def _writes_sent(sales_app: SalesApp, sobject: str) -> list[dict[str, str]]:
    return [r.headers for r in sales_app.wire.writes_of(sobject)]


@then(phrase('Salesforce saw the {sobject} write with the header "{header}" set to "{value}"'))
def _(sales_app: SalesApp, sobject: str, header: str, value: str) -> None:
    """Every write of that object the core sent carried the header with that value.

    Example: Then Salesforce saw the Lead write with the header "Sforce-Auto-Assign" set to "FALSE"
    """
    writes = _writes_sent(sales_app, sobject)
    seen = [h.get(header) for h in writes]
    assert writes and all(v == value for v in seen), (
        f"{header} on the {sobject} writes was {seen}, expected {value!r}"
    )


@then(phrase('Salesforce saw the {sobject} write without the header "{header}"'))
def _(sales_app: SalesApp, sobject: str, header: str) -> None:
    """No write of that object the core sent carried the header.

    Example: Then Salesforce saw the Contact write without the header "Sforce-Auto-Assign"
    """
    writes = _writes_sent(sales_app, sobject)
    seen = [h.get(header) for h in writes]
    assert writes and all(v is None for v in seen), f"{header} on the {sobject} writes was {seen}"
