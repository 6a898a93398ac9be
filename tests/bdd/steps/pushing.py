"""Pushing people and companies to Salesforce"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from ..drivers.sales_app import PushOutcome, SalesApp, final_reports
from ..drivers.salesforce import SalesforceOrg


@given(parsers.re(r'(?P<member>\w+) has an? (?P<sobject>\w+) "(?P<name>[^"]+)" in the app'))
def _(sales_app: SalesApp, member: str, sobject: str, name: str) -> None:
    """A person (Contact, Lead or Person) or company (Account) that exists only in the app.

    Example: Given Alice has a Contact "Jane Doe" in the app
    """
    sales_app.save(member, sobject, name)


@given(parsers.parse('{member} has a Contact "{name}" at company "{company}" in the app'))
def _(sales_app: SalesApp, member: str, name: str, company: str) -> None:
    """A contact with their company, both only in the app.

    Example: Given Alice has a Contact "Jane Doe" at company "Globex" in the app
    """
    sales_app.save(member, "Contact", name, company=company)


@when(parsers.parse('{member} pushes a new {sobject} "{name}"'), target_fixture="push")
@given(parsers.parse('{member} pushed a new {sobject} "{name}"'), target_fixture="push")
def _(sales_app: SalesApp, member: str, sobject: str, name: str) -> PushOutcome:
    """A member creates a Contact, Lead or Account in the app and pushes it to Salesforce.

    Example: When Alice pushes a new Contact "Jane Doe"
    """
    sales_app.save(member, sobject, name)
    return sales_app.push(member, name, sobject)


@when(parsers.parse('{member} pushes "{name}"'), target_fixture="push")
@given(parsers.parse('{member} pushes "{name}"'), target_fixture="push")
def _(sales_app: SalesApp, member: str, name: str) -> PushOutcome:
    """A member pushes a record that is already in the app (new or linked).

    Example: When Alice pushes "Jane Doe"
    """
    record = sales_app.record(name)
    return sales_app.push(member, name, record.preferred_sobject or "Contact")


@when(
    parsers.parse('{member} changes the {field} of "{name}" to "{value}" and pushes it'),
    target_fixture="push",
)
def _(sales_app: SalesApp, member: str, field: str, name: str, value: str) -> PushOutcome:
    """A member edits an app field (title, phone, email, ...) of a linked record and pushes.

    Example: When Alice changes the title of "Jane Doe" to "CTO" and pushes it
    """
    record = sales_app.record(name)
    sales_app.core.store.save_record(
        record.__class__(**{**record.__dict__, "fields": {**record.fields, field: value}})
    )
    return sales_app.push(member, name, record.preferred_sobject or "Contact")


@when(
    parsers.parse('{member} makes {new_owner} the owner of "{name}" in the app'),
    target_fixture="push",
)
def _(sales_app: SalesApp, member: str, new_owner: str, name: str) -> PushOutcome:
    """An owner change made in the app, pushed as an owner change.

    Example: When Alice makes Bob the owner of "Jane Doe" in the app
    """
    record = sales_app.record(name)
    sales_app.core.change_owner(
        sales_app.member(member).member_id, record.app_id, sales_app.member(new_owner).member_id
    )
    reports = sales_app.core.worker.drain()
    return PushOutcome(member, name, record.preferred_sobject or "Contact", record.app_id, reports)


@then("the push succeeded")
def _(push: PushOutcome) -> None:
    """Every job of the push finished.

    Example: Then the push succeeded
    """
    states = [(r.job, r.state, r.error_code, r.message) for r in push.reports]
    assert push.reports and all(r.state == "done" for r in final_reports(push.reports)), states


@then(parsers.parse('the push failed with "{error_code}"'))
def _(push: PushOutcome, error_code: str) -> None:
    """The push ended in the sync log with a Salesforce error code.

    Example: Then the push failed with "INSUFFICIENT_ACCESS_OR_READONLY"
    """
    codes = [(r.state, r.error_code) for r in final_reports(push.reports)]
    assert ("failed", error_code) in codes, codes


@then(parsers.parse('"{name}" is linked to a Salesforce {sobject}'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str, sobject: str) -> None:
    """The app record knows its Salesforce id, of the right object.

    Example: Then "Jane Doe" is linked to a Salesforce Lead
    """
    sf_id = sales_app.link(name)
    prefixes = {"Account": "001", "Contact": "003", "Lead": "00Q"}
    assert sf_id is not None and sf_id.startswith(prefixes[sobject]), sf_id


@then(parsers.parse('"{name}" is not in Salesforce'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> None:
    """Nothing was written for the record.

    Example: Then "Jane Doe" is not in Salesforce
    """
    assert sales_app.link(name) is None
    for sobject in ("Contact", "Lead", "Account"):
        key = "Name"
        assert not [r for r in salesforce.records(sobject) if r.get(key) == name], sobject
