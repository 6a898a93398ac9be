"""Steps that prove the OAuth state of a member's connect flow is single use and expires (S-05)"""

from __future__ import annotations

from datetime import timedelta

from pytest_bdd import parsers, then, when

from integration.services.connect import ConnectOutcome

from ..drivers.browser import Browser
from ..drivers.sales_app import PersonalConnection, SalesApp
from ..drivers.salesforce import CALLBACK_URL, PASSWORD, loopback_session


@when(
    parsers.parse(
        '{member} comes back from connecting Salesforce user "{username}" {minutes:d} minutes later'
    ),
    target_fixture="connection",
)
def _(sales_app: SalesApp, member: str, username: str, minutes: int) -> PersonalConnection:
    """The member logs in and consents, but the app gets the callback only minutes later.

    Example: When Alice comes back from connecting Salesforce user "alice@acme.test" 31 minutes later
    """
    start = sales_app.core.personal.start(sales_app.member(member).member_id)
    page = Browser(loopback_session(), CALLBACK_URL).authorize(
        start.authorization_url, username, PASSWORD, allow=True
    )
    assert page.callback is not None, f"Salesforce did not call the app back: {page.page_text}"
    sales_app.advance(timedelta(minutes=minutes))
    outcome = sales_app.core.personal.complete(
        page.callback.get("state", ""), code=page.callback.get("code")
    )
    return PersonalConnection(page, outcome)


@when("the same OAuth callback reaches the app again", target_fixture="replayed")
def _(sales_app: SalesApp, connection: PersonalConnection) -> ConnectOutcome:
    """The browser (or an attacker) replays the callback the app already handled.

    Example: When the same OAuth callback reaches the app again
    """
    callback = connection.browser.callback
    assert callback is not None, "the first connect never reached the app"
    return sales_app.core.personal.complete(callback.get("state", ""), code=callback.get("code"))


@then(parsers.parse('the replayed callback is refused as "{error}"'))
def _(replayed: ConnectOutcome, error: str) -> None:
    """The replay did not connect anything, for the reason given.

    Example: Then the replayed callback is refused as "invalid_state"
    """
    assert not replayed.connected and replayed.error == error, (
        f"S-05: a replayed callback must be refused as {error}; "
        f"got connected={replayed.connected}, error={replayed.error}: {replayed.message}"
    )
