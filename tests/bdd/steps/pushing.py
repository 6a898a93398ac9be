"""Pushing people and companies to Salesforce"""

from __future__ import annotations

from pytest_bdd import given, then, when

from ..drivers.sales_app import PushOutcome, SalesApp
from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase


@given(phrase('{member} has a {sobject} "{name}" in the app'))
def _(sales_app: SalesApp, member: str, sobject: str, name: str) -> None:
    """A person (Contact, Lead or Person) or company (Account) that exists only in the app.

    Example: Given Alice has a Contact "Jane Doe" in the app
    """
    sales_app.save(member, sobject, name)


@given(phrase('{member} has a {sobject} "{name}" at company "{company}" in the app'))
def _(sales_app: SalesApp, member: str, sobject: str, name: str, company: str) -> None:
    """A person (Contact, Lead or Person) with their company, both only in the app.

    Example: Given Alice has a Lead "Jane Doe" at company "Globex" in the app
    """
    sales_app.save(member, sobject, name, company=company)


@when(phrase('{member} pushes a new {sobject} "{name}"'), target_fixture="push")
@given(phrase('{member} pushed a new {sobject} "{name}"'), target_fixture="push")
def _(sales_app: SalesApp, member: str, sobject: str, name: str) -> PushOutcome:
    """A member creates a Contact, Lead or Account in the app and pushes it to Salesforce.

    Example: When Alice pushes a new Contact "Jane Doe"
    """
    sales_app.save(member, sobject, name)
    return sales_app.push(member, name, sobject)


@when(
    phrase('{member} pushes new {sobject}s "{first}" and "{second}" at the same moment'),
    target_fixture="push",
)
def _(sales_app: SalesApp, member: str, sobject: str, first: str, second: str) -> PushOutcome:
    """Two pushes by one member run in parallel workers, sharing the member's connection.

    Example: When Alice pushes new Contacts "Jane Doe" and "John Roe" at the same moment
    """
    for name in (first, second):
        sales_app.save(member, sobject, name)
    return sales_app.race_pushes(member, sobject, [first, second])


@when(phrase('{member} pushes "{name}"'), target_fixture="push")
@given(phrase('{member} pushes "{name}"'), target_fixture="push")
def _(sales_app: SalesApp, member: str, name: str) -> PushOutcome:
    """A member pushes a record that is already in the app (new or linked).

    Example: When Alice pushes "Jane Doe"
    """
    return sales_app.push(member, name, sales_app.sobject_of(name))


@when(
    phrase('{member} changes the {field} of "{name}" to "{value}" and pushes it'),
    target_fixture="push",
)
def _(sales_app: SalesApp, member: str, field: str, name: str, value: str) -> PushOutcome:
    """A member edits an app field (title, phone, email, ...) of a linked record and pushes.

    Example: When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    """
    sales_app.edit(name, {field: value})
    return sales_app.push(member, name, sales_app.sobject_of(name))


@when(
    phrase('{member} makes {new_owner} the owner of "{name}" in the app'),
    target_fixture="push",
)
def _(sales_app: SalesApp, member: str, new_owner: str, name: str) -> PushOutcome:
    """An owner change made in the app, pushed as an owner change.

    Example: When Alice makes Bob the owner of "Jane Doe" in the app
    """
    record = sales_app.record(name)
    job_id = sales_app.core.change_owner(
        sales_app.member(member).member_id, record.app_id, sales_app.member(new_owner).member_id
    )
    reports = sales_app.core.worker.drain()
    sobject = sales_app.sobject_of(name)
    return PushOutcome(member, name, sobject, record.app_id, reports, job_ids=(job_id,))


def _states(sales_app: SalesApp, push: PushOutcome) -> str:
    states = sales_app.job_states(push.job_ids, push.reports)
    return ", ".join(
        f"{s.job} {s.state}" + (f" ({s.error_code}: {s.message})" if s.error_code else "")
        for s in states
    )


@then("the push succeeded")
def _(sales_app: SalesApp, push: PushOutcome) -> None:
    """Every job of the push is done, as the outbox stands now (after any retries).

    Example: Then the push succeeded
    """
    states = sales_app.job_states(push.job_ids, push.reports)
    assert states and all(s.state == "done" for s in states), (
        f"the push of {push.name!r} is not done: {_states(sales_app, push)}"
    )


@then(phrase('the push failed with "{error_code}"'))
def _(sales_app: SalesApp, push: PushOutcome, error_code: str) -> None:
    """The push ended failed, logged with that Salesforce error code (no retry left).

    Example: Then the push failed with "INSUFFICIENT_ACCESS_OR_READONLY"
    """
    states = sales_app.job_states(push.job_ids, push.reports)
    assert any(s.state == "failed" and s.error_code == error_code for s in states), (
        f"the push of {push.name!r} did not fail with {error_code}: {_states(sales_app, push)}"
    )


@then(phrase('the push is waiting to retry after "{error_code}"'))
def _(sales_app: SalesApp, push: PushOutcome, error_code: str) -> None:
    """The push is still queued for a later attempt; its last attempt met that error.

    Example: Then the push is waiting to retry after "UNABLE_TO_LOCK_ROW"
    """
    states = sales_app.job_states(push.job_ids, push.reports)
    assert any(s.state == "pending" and s.error_code == error_code for s in states), (
        f"the push of {push.name!r} is not waiting to retry: {_states(sales_app, push)}"
    )


@then(phrase('"{name}" is linked to a Salesforce {sobject}'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str, sobject: str) -> None:
    """The app record knows its Salesforce id, of the right object.

    Example: Then "Jane Doe" is linked to a Salesforce Lead
    """
    sf_id = sales_app.link(name)
    prefixes = {"Account": "001", "Contact": "003", "Lead": "00Q"}
    assert sf_id is not None, f"{name!r} is not linked to Salesforce"
    assert sf_id.startswith(prefixes[sobject]), f"{name!r} is linked to {sf_id}, not a {sobject}"


@then(phrase('"{name}" is not in Salesforce'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> None:
    """Nothing was written for the record.

    Example: Then "Jane Doe" is not in Salesforce
    """
    assert sales_app.link(name) is None, f"{name!r} is linked to {sales_app.link(name)}"
    for sobject in ("Contact", "Lead", "Account"):
        key = "Name"
        found = [r["Id"] for r in salesforce.records(sobject) if r.get(key) == name]
        assert not found, f"Salesforce has a {sobject} named {name!r}: {found}"
