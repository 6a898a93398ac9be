"""Connecting team sync and personal credentials"""

from __future__ import annotations

from pytest_bdd import given, then, when

from integration.services.team_sync import PreflightReport, TeamSyncOutcome

from ..drivers.sales_app import PersonalConnection, SalesApp
from ..drivers.salesforce import SalesforceOrg
from ..phrase import phrase


def _told(connection: PersonalConnection) -> str:
    """What the member saw: the app's message, or the Salesforce page the browser stopped on."""
    if connection.outcome is None:
        return f"the browser stopped on a Salesforce page saying {connection.browser.page_text!r}"
    return f"the app said {connection.outcome.message!r}"


@given(phrase('team sync is connected with client credentials as "{username}"'))
def _(sales_app: SalesApp, username: str) -> TeamSyncOutcome:
    """Team sync as a dedicated integration user, server to server (its run-as user).

    Example: Given team sync is connected with client credentials as "int@acme.test"
    """
    outcome = sales_app.connect_team_sync("client credentials")
    assert outcome.username == username, f"team sync connected as {outcome.username}"
    return outcome


@given(phrase('team sync is connected with a JWT as "{username}"'))
def _(sales_app: SalesApp, username: str) -> TeamSyncOutcome:
    """Team sync as a user whose JWT bearer assertion the connected app trusts.

    Example: Given team sync is connected with a JWT as "int@acme.test"
    """
    return sales_app.connect_team_sync("jwt", username)


@when(phrase("{admin} connects team sync with client credentials"), target_fixture="team_sync")
def _(sales_app: SalesApp, admin: str) -> TeamSyncOutcome:
    """An admin connects the integration user as team sync (the preflight runs).

    Example: When Ann connects team sync with client credentials
    """
    return sales_app.connect_team_sync("client credentials", admin_name=admin)


@when(
    phrase('{admin} connects team sync with a JWT as "{username}"'),
    target_fixture="team_sync",
)
def _(sales_app: SalesApp, admin: str, username: str) -> TeamSyncOutcome:
    """An admin connects team sync by JWT bearer for a Salesforce username.

    Example: When Ann connects team sync with a JWT as "int@acme.test"
    """
    return sales_app.connect_team_sync("jwt", username, admin_name=admin)


@when(
    phrase("{admin} makes {member}'s Salesforce login the team sync credential"),
    target_fixture="team_sync",
)
def _(sales_app: SalesApp, admin: str, member: str) -> TeamSyncOutcome | Exception:
    """An admin picks a login a member already connected as team sync.

    Example: When Ann makes Alice's Salesforce login the team sync credential
    """
    try:
        return sales_app.connect_team_sync("member", member, admin_name=admin)
    except Exception as refused:  # the refusal is the outcome the scenario checks
        return refused


@given(phrase('{member} has connected Salesforce user "{username}" as personal credential'))
def _(sales_app: SalesApp, member: str, username: str) -> PersonalConnection:
    """A member went through the OAuth web-server flow as their own Salesforce user.

    Example: Given Alice has connected Salesforce user "alice@acme.test" as personal credential
    """
    connection = sales_app.connect_personal(member, username)
    assert connection.outcome is not None and connection.outcome.connected, (
        f"{member} could not connect {username}: {_told(connection)}"
    )
    return connection


@when(
    phrase('{member} connects Salesforce user "{username}" as personal credential'),
    target_fixture="connection",
)
def _(sales_app: SalesApp, member: str, username: str) -> PersonalConnection:
    """A member logs in to Salesforce as that user and allows the app.

    Example: When Bob connects Salesforce user "alice@acme.test" as personal credential
    """
    return sales_app.connect_personal(member, username)


@when(
    phrase('{member} denies access while connecting Salesforce user "{username}"'),
    target_fixture="connection",
)
def _(sales_app: SalesApp, member: str, username: str) -> PersonalConnection:
    """A member logs in but clicks Deny on Salesforce's consent page.

    Example: When Alice denies access while connecting Salesforce user "alice@acme.test"
    """
    return sales_app.connect_personal(member, username, allow=False)


@then("the personal credential is connected")
def _(connection: PersonalConnection) -> None:
    """The OAuth flow ended with a stored, connected personal credential.

    Example: Then the personal credential is connected
    """
    assert connection.outcome is not None and connection.outcome.connected, (
        f"the personal credential is not connected: {_told(connection)}"
    )


@then(phrase('the connection is refused with a message containing "{text}"'))
def _(connection: PersonalConnection, text: str) -> None:
    """The member is told why the connection failed.

    Example: Then the connection is refused with a message containing "already linked"
    """
    outcome = connection.outcome
    assert outcome is not None, (
        f"no callback reached the app; page said {connection.browser.page_text!r}"
    )
    assert not outcome.connected, "the connection was accepted"
    assert text in outcome.message, f"message was {outcome.message!r}"


@then(phrase('Salesforce shows the page "{text}" and never calls the app back'))
def _(connection: PersonalConnection, text: str) -> None:
    """The browser stopped on a Salesforce page: no code ever reached the app.

    Example: Then Salesforce shows the page "Access Restricted" and never calls the app back
    """
    assert connection.browser.callback is None, (
        f"Salesforce called the app back with {connection.browser.callback}"
    )
    page = connection.browser.page_text
    assert text.lower() in page.lower(), f"the page said {page!r}"


@then(phrase('the OAuth error is "{error}"'))
def _(connection: PersonalConnection, error: str) -> None:
    """The OAuth error code the callback carried.

    Example: Then the OAuth error is "access_denied"
    """
    seen = connection.outcome.error if connection.outcome else None
    assert seen == error, f"the OAuth error was {seen!r}: {_told(connection)}"


@then(phrase("{member} has no personal credential"))
def _(sales_app: SalesApp, member: str) -> None:
    """Nothing was stored for the member.

    Example: Then Carol has no personal credential
    """
    credential = sales_app.personal_credential(member)
    assert credential is None, f"{member} has {credential}"


@then(phrase('the app holds no credential for Salesforce user "{username}"'))
def _(sales_app: SalesApp, username: str) -> None:
    """No member's personal credential and no team sync credential names that login.

    Example: Then the app holds no credential for Salesforce user "sync@acme.test"
    """
    held = [
        c
        for c in (
            sales_app.team_sync_credential(),
            *[sales_app.personal_credential(m) for m in sales_app.members],
        )
        if c is not None and c.username == username
    ]
    assert not held, f"the app holds {held}"


@then(phrase('{member}\'s personal credential is still "{username}"'))
def _(sales_app: SalesApp, member: str, username: str) -> None:
    """The member's link is untouched, still the same Salesforce user and connected.

    Example: Then Alice's personal credential is still "alice@acme.test"
    """
    credential = sales_app.personal_credential(member)
    assert credential is not None, f"{member} has no personal credential"
    assert credential.username == username, (
        f"{member}'s personal credential is {credential.username}"
    )
    assert credential.status.value == "connected", (
        f"{member}'s personal credential is {credential.status.value}: {credential.status_reason}"
    )


@then(phrase('the team sync credential is "{username}"'))
def _(sales_app: SalesApp, username: str) -> None:
    """Which Salesforce user team sync acts as.

    Example: Then the team sync credential is "alice@acme.test"
    """
    credential = sales_app.team_sync_credential()
    assert credential is not None, "there is no team sync credential"
    assert credential.username == username, f"team sync acts as {credential.username}"


@then(phrase('{admin} is advised "{text}"'))
def _(team_sync: TeamSyncOutcome, admin: str, text: str) -> None:
    """The admin sees an advisory (not an error) about the choice.

    Example: Then Ann is advised "dedicated integration user"
    """
    advisories = team_sync.report.advisories
    assert any(text in advice for advice in advisories), f"{admin} was advised {list(advisories)}"


@then("no advisory is given")
def _(team_sync: TeamSyncOutcome) -> None:
    """The choice raised no advisory.

    Example: Then no advisory is given
    """
    assert team_sync.report.advisories == (), f"advised {list(team_sync.report.advisories)}"


@then(phrase('the team sync choice is refused with "{text}"'))
def _(team_sync: object, text: str) -> None:
    """Choosing that login as team sync was refused, with the reason.

    Example: Then the team sync choice is refused with "has not connected"
    """
    assert isinstance(team_sync, Exception), f"expected a refusal, got {team_sync}"
    assert text in str(team_sync), f"the refusal said {str(team_sync)!r}"


@then(phrase('the preflight reports "{line}"'))
def _(sales_app: SalesApp, line: str) -> None:
    """One gap of the team sync user's permissions, by object and field.

    Example: Then the preflight reports "Contact.Title: no edit permission"
    """
    report = sales_app.core.team_sync.preflight(sales_app.team_id)
    assert line in report.lines, f"preflight said {report.lines}"


@then("the preflight reports no gap")
def _(sales_app: SalesApp) -> None:
    """The team sync user has every permission the sync needs.

    Example: Then the preflight reports no gap
    """
    report = sales_app.core.team_sync.preflight(sales_app.team_id)
    assert report.lines == [], f"the preflight reported {report.lines}"


@when(phrase("{member} disconnects their personal credential"))
def _(sales_app: SalesApp, member: str) -> None:
    """The member unlinks their Salesforce login.

    Example: When Alice disconnects their personal credential
    """
    sales_app.core.personal.disconnect(sales_app.member(member).member_id)


def _pre_authorize(salesforce: SalesforceOrg, key: str, name: str) -> None:
    app = salesforce.admin.call("GET", "/apps")[0]
    names = sorted({*app.get(key, []), name})
    salesforce.admin.call(
        "PATCH", f"/apps/{app['client_id']}", {"permitted_users": "admin_approved", key: names}
    )


@given(phrase('the connected app pre-authorizes profile "{profile}"'))
def _(salesforce: SalesforceOrg, profile: str) -> None:
    """The app admits only admin-approved users; this profile is approved.

    Example: Given the connected app pre-authorizes profile "System Administrator"
    """
    _pre_authorize(salesforce, "approved_profiles", profile)


@given(phrase('the connected app pre-authorizes the "{permission_set}" permission set'))
def _(salesforce: SalesforceOrg, permission_set: str) -> None:
    """The app admits only admin-approved users; this permission set is approved.

    Example: Given the connected app pre-authorizes the "Sales_Sync" permission set
    """
    _pre_authorize(salesforce, "approved_permission_sets", permission_set)


@given("the connected app rotates refresh tokens")
def _(salesforce: SalesforceOrg) -> None:
    """Every refresh returns a new refresh token and retires the old one.

    Example: Given the connected app rotates refresh tokens
    """
    app = salesforce.admin.call("GET", "/apps")[0]
    salesforce.admin.call("PATCH", f"/apps/{app['client_id']}", {"rotation": True})


@when(phrase("{admin} disconnects team sync"))
def _(sales_app: SalesApp, admin: str) -> None:
    """An admin disconnects the team sync credential (its tokens are revoked).

    Example: When Ann disconnects team sync
    """
    sales_app.core.team_sync.disconnect(sales_app.member(admin).member_id)


@when(phrase("{admin} re-checks team sync"), target_fixture="preflight")
def _(sales_app: SalesApp, admin: str) -> PreflightReport:
    """An admin re-runs the preflight of the connected team sync user, without reconnecting.

    Example: When Ann re-checks team sync
    """
    return sales_app.core.team_sync.preflight(sales_app.member(admin).team_id)


@when(phrase("two refreshes of {member}'s personal credential race"), target_fixture="race")
def _(sales_app: SalesApp, member: str) -> list[str]:
    """Two workers refresh the member's expired token at the same moment (X-10).

    Example: When two refreshes of Alice's personal credential race
    """
    return sales_app.race_refreshes(member, 2)


@then("both racing refreshes got a token")
def _(race: list[str]) -> None:
    """Neither racer failed: the loser read the token the winner saved.

    Example: Then both racing refreshes got a token
    """
    assert len(race) == 2 and all(r.startswith("token ") for r in race), (
        f"the racing refreshes ended with {race}"
    )
