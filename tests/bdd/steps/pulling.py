"""Pulling Salesforce records into the app"""

from __future__ import annotations

from pytest_bdd import given, then, when

from integration.services.pull import PullReport

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase


@when("the pull runs", target_fixture="pull")
@given("the pull runs", target_fixture="pull")
def _(sales_app: SalesApp) -> PullReport:
    """The team's scheduled pull runs once, through team sync.

    Example: When the pull runs
    """
    return sales_app.core.puller.pull(sales_app.team_id)


def _pulled(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> object | None:
    for sobject in ("Contact", "Lead", "Account"):
        for record in salesforce.records(sobject):
            if record.get("Name") == name:
                link = sales_app.core.store.link_by_sf_id(sales_app.team_id, record["Id"])
                if link is not None:
                    return sales_app.core.store.record(link.app_id)
    return None


@then(phrase('the app has "{name}"'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> None:
    """A Salesforce record was pulled into the app.

    Example: Then the app has "Hank Scorpio"
    """
    assert _pulled(sales_app, salesforce, name) is not None, f"{name} was not pulled"


@then(phrase('the app does not have "{name}"'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> None:
    """A Salesforce record was left out of the app.

    Example: Then the app does not have "Milton Waddams"
    """
    assert _pulled(sales_app, salesforce, name) is None, f"{name} was pulled"


@then(phrase('in the app "{name}" is owned by {member}'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str, member: str) -> None:
    """The app owner of a pulled record is the member linked to its Salesforce owner.

    Example: Then in the app "Hank Scorpio" is owned by Bob
    """
    record = _pulled(sales_app, salesforce, name)
    assert record is not None, f"{name} was not pulled"
    owner = getattr(record, "owner_member_id", None)
    assert owner == sales_app.member(member).member_id, f"owned by member {owner}"


@then(phrase('in the app "{name}" has no member owner'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str) -> None:
    """The pulled record's Salesforce owner is nobody's linked login.

    Example: Then in the app "Hank Scorpio" has no member owner
    """
    record = _pulled(sales_app, salesforce, name)
    assert record is not None, f"{name} was not pulled"
    assert getattr(record, "owner_member_id", None) is None, record


@then(phrase('in the app "{name}" has {field} "{value}"'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, name: str, field: str, value: str) -> None:
    """An app field (first_name, last_name, email, title, phone, company, name, website) of a pulled record; empty quotes mean no value.

    Example: Then in the app "Hank Scorpio" has title "CEO"
    """
    record = _pulled(sales_app, salesforce, name)
    assert record is not None, f"{name} was not pulled"
    fields = getattr(record, "fields", {})
    seen = fields.get(field)
    shown = "" if seen is None else str(seen)
    assert shown == value, f"in the app {name!r} has {field} {seen!r} (its fields: {fields})"
