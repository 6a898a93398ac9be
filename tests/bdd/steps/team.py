"""The sales app's team, members and settings"""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from integration.domain.model import ActivityKind, SObject
from integration.services.errors import ProfileOwnerRefused

from ..drivers.sales_app import SalesApp
from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase


def _names(text: str) -> list[str]:
    return [n for n in re.split(r'[",]+|\band\b', text) if n.strip()]


@given(phrase('the sales app team has admin "{admin}" and reps {reps:Text}'))
def _(sales_app: SalesApp, admin: str, reps: str) -> None:
    """The team's members: one admin and some reps, by first name.

    Example: Given the sales app team has admin "Ann" and reps "Alice", "Bob" and "Carol"
    """
    sales_app.add_member(admin, "admin")
    for name in _names(reps):
        sales_app.add_member(name.strip(), "rep")


@given(phrase('{member} chose Salesforce user "{username}" as profile owner'))
def _(sales_app: SalesApp, salesforce: SalesforceOrg, member: str, username: str) -> None:
    """A member without a personal login picks who owns what they push.

    Example: Given Bob chose Salesforce user "carol@acme.test" as profile owner
    """
    sales_app.core.set_profile_owner(
        sales_app.member(member).member_id, salesforce.user_id(username)
    )


@given(phrase("push settings create new people as {sobject}s"))
def _(sales_app: SalesApp, sobject: str) -> None:
    """New people are pushed as Leads or as Contacts.

    Example: Given push settings create new people as Leads
    """
    sales_app.set_push_settings(people_as=SObject(sobject))


@given("push settings do not create new people")
def _(sales_app: SalesApp) -> None:
    """People new to Salesforce are not pushed (linked ones still are).

    Example: Given push settings do not create new people
    """
    sales_app.set_push_settings(create_people=False)


@given(phrase('push settings do not log "{kind}" activities'))
def _(sales_app: SalesApp, kind: str) -> None:
    """One activity type is not written to Salesforce.

    Example: Given push settings do not log "note" activities
    """
    kinds = sales_app.core.store.push_settings(sales_app.team_id).activity_kinds
    sales_app.set_push_settings(activity_kinds=frozenset(kinds - {ActivityKind(kind)}))


@given(parsers.re(r"pull settings bring in (?P<objects>(?:(?! where ).)+)$"))
def _(sales_app: SalesApp, objects: str) -> None:
    """Which Salesforce objects are pulled into the app.

    Example: Given pull settings bring in Contacts and Accounts
    """
    chosen = frozenset(SObject(n.strip().removesuffix("s")) for n in _names(objects))
    sales_app.set_pull_settings(chosen, {})


@given(phrase("pull settings bring in {sobject}s where {condition:Text}"))
def _(sales_app: SalesApp, sobject: str, condition: str) -> None:
    """Pull one object with a SOQL filter.

    Example: Given pull settings bring in Contacts where LeadSource = 'Web'
    """
    sales_app.set_pull_settings(frozenset({SObject(sobject)}), {SObject(sobject): condition})


@when(
    phrase('{member} picks Salesforce user "{username}" as profile owner'),
    target_fixture="choice",
)
def _(sales_app: SalesApp, salesforce: SalesforceOrg, member: str, username: str) -> str:
    """A member tries to pick a profile owner; the outcome is "accepted" or the refusal.

    Example: When Bob picks Salesforce user "carol@acme.test" as profile owner
    """
    try:
        sales_app.core.set_profile_owner(
            sales_app.member(member).member_id, salesforce.user_id_or_unknown(username)
        )
    except ProfileOwnerRefused as refused:
        return str(refused)
    return "accepted"


@then(phrase('the profile owner choice is refused with "{text}"'))
def _(choice: str, text: str) -> None:
    """The member was told why that user cannot own their records.

    Example: Then the profile owner choice is refused with "not an active Salesforce user"
    """
    assert text in choice, f"the choice answered {choice!r}"


@given(phrase('a second team "{team}" with admin "{admin}" and reps {reps:Text}'))
def _(sales_app: SalesApp, team: str, admin: str, reps: str) -> None:
    """Another team of the sales app, in the same Salesforce org, with its own members.

    Example: Given a second team "Globex" with admin "Gina" and reps "Greg"
    """
    team_id = sales_app.add_team(team)
    sales_app.add_member(admin, "admin", team_id)
    for name in _names(reps):
        sales_app.add_member(name.strip(), "rep", team_id)


@when(phrase("{member} clears their profile owner"))
def _(sales_app: SalesApp, member: str) -> None:
    """A member removes their profile owner choice (their pushes fall back to team sync).

    Example: When Bob clears their profile owner
    """
    sales_app.core.set_profile_owner(sales_app.member(member).member_id, None)
