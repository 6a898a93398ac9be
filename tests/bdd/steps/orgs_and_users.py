"""Salesforce users, profiles and permissions"""

from __future__ import annotations

from pytest_bdd import given, when

from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase


@given(phrase('Salesforce user "{username}" with profile "{profile}"'))
def _(salesforce: SalesforceOrg, username: str, profile: str) -> None:
    """A Salesforce user of the team's org on the named profile.

    Example: Given Salesforce user "alice@acme.test" with profile "Standard User"
    """
    salesforce.add_user(username, profile)


@given("Salesforce users:")
def _(salesforce: SalesforceOrg, datatable: list[list[str]]) -> None:
    """Several Salesforce users; columns username, profile and optionally active / frozen.

    Example: Given Salesforce users: (then | username | profile | rows)
    """
    header, *rows = datatable
    for row in rows:
        values = dict(zip(header, row, strict=True))
        extra = {k: values[k].lower() == "yes" for k in ("active", "frozen") if k in values}
        salesforce.add_user(values["username"], values.get("profile", "Standard User"), **extra)


@given(phrase('Salesforce user "{username}" is deactivated'))
@when(phrase('Salesforce user "{username}" is deactivated'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """Deactivate a Salesforce user now (their sessions end, they cannot own records).

    Example: Given Salesforce user "carol@acme.test" is deactivated
    """
    salesforce.set_user(username, active=False)


@given(phrase('Salesforce user "{username}" is frozen'))
@when(phrase('Salesforce user "{username}" is frozen'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """Freeze a Salesforce user's login now (they stay active as an owner).

    Example: Given Salesforce user "carol@acme.test" is frozen
    """
    salesforce.set_user(username, frozen=True)


@given(phrase('the integration permission set gives "{access}" access to {sobject}.{field}'))
@when(phrase('the integration permission set gives "{access}" access to {sobject}.{field}'))
def _(salesforce: SalesforceOrg, access: str, sobject: str, field: str) -> None:
    """Field-level security of the team sync user: "edit", "read" or "none".

    Example: Given the integration permission set gives "read" access to Contact.Title
    """
    salesforce.admin.call(
        "PATCH", "/permission-sets/Sales_Sync", {"fields": {f"{sobject}.{field}": access}}
    )


@given(phrase('the integration permission set gives "{grant}" on {sobject}'))
@when(phrase('the integration permission set gives "{grant}" on {sobject}'))
def _(salesforce: SalesforceOrg, grant: str, sobject: str) -> None:
    """Object permissions of the team sync user (e.g. "Read, Create, Edit" or "none").

    Example: Given the integration permission set gives "none" on Lead
    """
    salesforce.admin.call("PATCH", "/permission-sets/Sales_Sync", {"objects": {sobject: grant}})


@given(phrase('profile "{profile}" gives "{access}" access to {sobject}.{field}'))
@when(phrase('profile "{profile}" gives "{access}" access to {sobject}.{field}'))
def _(salesforce: SalesforceOrg, profile: str, access: str, sobject: str, field: str) -> None:
    """Field-level security of a profile: "edit", "read" or "none".

    Example: Given profile "Standard User" gives "read" access to Contact.Title
    """
    salesforce.admin.update_profile(profile, fields={f"{sobject}.{field}": access})


@given(phrase('profile "{profile}" gives "{grant}" on {sobject}'))
def _(salesforce: SalesforceOrg, profile: str, grant: str, sobject: str) -> None:
    """Object permissions of a profile (e.g. "Read" or "none").

    Example: Given profile "Standard User" gives "Read" on Account
    """
    salesforce.admin.update_profile(profile, objects={sobject: grant})


@given(phrase('the integration user has no "{permission}" permission'))
def _(salesforce: SalesforceOrg, permission: str) -> None:
    """Take a user permission (e.g. ApiEnabled) away from the integration user's profile.

    Example: Given the integration user has no "ApiEnabled" permission
    """
    salesforce.admin.update_profile(
        "Minimum Access - API Only Integrations", user_permissions={permission: False}
    )


@given(phrase("{sobject} records are private in Salesforce"))
def _(salesforce: SalesforceOrg, sobject: str) -> None:
    """Set the org-wide default of an object to Private.

    Example: Given Lead records are private in Salesforce
    """
    salesforce.admin.settings(**{f"sharing:{sobject}": "Private"})


@given(phrase('Salesforce assigns every new lead to "{username}"'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """An active lead assignment rule that routes new leads to one user.

    Example: Given Salesforce assigns every new lead to "admin@acme.test"
    """
    salesforce.admin.settings(lead_assignment_owner=username)


@given(phrase("the org allows {count:d} API calls a day"))
def _(salesforce: SalesforceOrg, count: int) -> None:
    """The org's daily API allocation.

    Example: Given the org allows 5 API calls a day
    """
    salesforce.admin.settings(api_daily_limit=count)


@given("the integration permission set lets it read user logins")
def _(salesforce: SalesforceOrg) -> None:
    """Grant Manage Users to the team sync user, so it can see whether a user is frozen.

    Example: Given the integration permission set lets it read user logins
    """
    salesforce.admin.call(
        "PATCH", "/permission-sets/Sales_Sync", {"user_permissions": {"ManageUsers": True}}
    )


@given(phrase('Salesforce user "{username}" with profile "{profile}" and email "{email}"'))
def _(salesforce: SalesforceOrg, username: str, profile: str, email: str) -> None:
    """A Salesforce user whose email differs from their username.

    Example: Given Salesforce user "alice@acme.test" with profile "Standard User" and email "jane@corp.test"
    """
    salesforce.add_user(username, profile, email=email)


@given(phrase('Salesforce user "{username}" named "{full_name}"'))
def _(salesforce: SalesforceOrg, username: str, full_name: str) -> None:
    """A Standard User with a given first and last name (e.g. the same name as a member).

    Example: Given Salesforce user "alice2@acme.test" named "Alice Rep"
    """
    first, _, last = full_name.rpartition(" ")
    salesforce.add_user(username, "Standard User", first_name=first or None, last_name=last)


@when(phrase('Salesforce user "{username}" is reactivated'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """A deactivated Salesforce user is active again.

    Example: When Salesforce user "carol@acme.test" is reactivated
    """
    salesforce.set_user(username, active=True)


@when(phrase('Salesforce user "{username}" is unfrozen'))
def _(salesforce: SalesforceOrg, username: str) -> None:
    """A frozen Salesforce user can log in again.

    Example: When Salesforce user "carol@acme.test" is unfrozen
    """
    salesforce.set_user(username, frozen=False)
