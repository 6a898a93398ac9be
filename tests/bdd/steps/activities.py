"""Logging activities"""

from __future__ import annotations

from pytest_bdd import then, when

from integration.services.worker import JobReport

from ..drivers.sales_app import SalesApp
from ..phrase import phrase


@when(
    phrase('{member} logs {article} {kind} "{subject}" with "{person}"'),
    target_fixture="activity",
)
def _(
    sales_app: SalesApp, member: str, article: str, kind: str, subject: str, person: str
) -> list[JobReport]:
    """A member logs an email, call, task, note or meeting with a person in the app.

    Example: When Alice logs a call "Intro call" with "Jane Doe"
    """
    return sales_app.log_activity(member, kind, person, subject)


@then("the activity was written to Salesforce")
def _(sales_app: SalesApp, activity: list[JobReport]) -> None:
    """Every job of the activity is done, as the outbox stands now (after any retries).

    Example: Then the activity was written to Salesforce
    """
    states = sales_app.job_states((), activity)
    shown = [(s.job, s.state, s.error_code, s.message) for s in states]
    assert states and all(s.state == "done" for s in states), f"the activity is not done: {shown}"


@then("the activity waits for its person to be pushed")
def _(activity: list[JobReport], sales_app: SalesApp) -> None:
    """Nothing was written yet: the activity is queued until its person is linked.

    Example: Then the activity waits for its person to be pushed
    """
    jobs = [(j.job, j.state) for j in sales_app.core.store.jobs(sales_app.team_id)]
    assert any(state == "waiting" for _, state in jobs), f"no job is waiting; the outbox has {jobs}"
