"""What a pull brings in (S-11, S-12, A-09)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from integration.domain.model import PullSettings, SObject

RecordRow = Mapping[str, object]


def owner_member(owner_id: object, member_by_sf_user: Mapping[str, int]) -> int | None:
    """S-11 / X-02: a Salesforce owner maps to the member linked to that user id, never by name."""
    if not isinstance(owner_id, str):
        return None
    return member_by_sf_user.get(_id15(owner_id))


def member_index(links: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Index member ids by the 15-character form of their Salesforce user id."""
    return {_id15(sf_user_id): member_id for sf_user_id, member_id in links}


def leads_without_contacts(
    leads: Sequence[RecordRow], contact_emails: Iterable[str]
) -> tuple[list[RecordRow], list[RecordRow]]:
    """A-09: a lead whose email also belongs to a contact is not pulled; (kept, dropped)."""
    taken = {email.lower() for email in contact_emails if email}
    kept: list[RecordRow] = []
    dropped: list[RecordRow] = []
    for lead in leads:
        email = lead.get("Email")
        (dropped if isinstance(email, str) and email.lower() in taken else kept).append(lead)
    return kept, dropped


def pull_order(settings: PullSettings) -> list[SObject]:
    """Accounts first so contacts can link to them; contacts before leads for A-09."""
    order = (SObject.ACCOUNT, SObject.CONTACT, SObject.LEAD)
    return [sobject for sobject in order if sobject in settings.objects]


def pull_filter(settings: PullSettings, sobject: SObject) -> str | None:
    """S-12: the admin's SOQL condition for one object, if any."""
    condition = settings.filters.get(sobject)
    return condition.strip() if condition and condition.strip() else None


def _id15(sf_id: str) -> str:
    return sf_id[:15]
