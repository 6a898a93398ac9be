"""What a push writes (S-13, A-03, A-04, A-05, A-06, X-18)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from integration.domain.model import PushSettings, RecordKind, SObject


@dataclass(frozen=True)
class SkippedField:
    """A mapped field left out of a write because the acting user may not edit it (X-18)."""

    sobject: str
    field: str
    reason: str = "no edit permission"

    def __str__(self) -> str:
        return f"{self.sobject}.{self.field} skipped: {self.reason}"


@dataclass(frozen=True)
class AccountCandidate:
    account_id: str
    created_date: str


def target_sobject(
    kind: RecordKind, linked_as: str | None, preferred: str | None, settings: PushSettings
) -> SObject:
    """Linked records keep their object; new people become Lead or Contact per A-06."""
    if kind is RecordKind.COMPANY:
        return SObject.ACCOUNT
    if linked_as is not None:
        return SObject(linked_as)
    if preferred is not None:
        return SObject(preferred)
    return settings.people_as


def may_create(sobject: SObject, settings: PushSettings) -> bool:
    """S-13 / A-03: push settings govern only net-new records."""
    if sobject is SObject.ACCOUNT:
        return settings.create_accounts
    return settings.create_people


def mapped_fields(
    app_fields: Mapping[str, object], mapping: Mapping[str, str]
) -> dict[str, object]:
    """Translate app field names to Salesforce names; unmapped fields never sync."""
    return {
        sf_name: app_fields[app_name]
        for app_name, sf_name in mapping.items()
        if app_name in app_fields
    }


def writable_fields(
    sobject: str, payload: Mapping[str, object], editable: frozenset[str]
) -> tuple[dict[str, object], tuple[SkippedField, ...]]:
    """X-18: keep what the acting user may edit, report the rest; never reroute through TS."""
    kept = {name: value for name, value in payload.items() if name in editable}
    skipped = tuple(SkippedField(sobject, name) for name in payload if name not in editable)
    return kept, skipped


def choose_account(
    candidates: Sequence[AccountCandidate],
) -> tuple[AccountCandidate | None, tuple[AccountCandidate, ...]]:
    """A-05: the oldest account by CreatedDate, then Id; the others are returned for the log."""
    ordered = sorted(candidates, key=lambda c: (c.created_date, c.account_id))
    if not ordered:
        return None, ()
    return ordered[0], tuple(ordered[1:])


LEAD_COMPANY_PLACEHOLDER = "[not provided]"


def lead_company(company_fields: dict[str, object] | None) -> str:
    """A Lead's required Company: the person's company name, else Salesforce's usual placeholder.

    Salesforce refuses a Lead without Company (REQUIRED_FIELD_MISSING); integrations that push
    people without a company write "[not provided]", the value Salesforce's own lead tools use.
    """
    name = (company_fields or {}).get("name")
    return str(name) if name else LEAD_COMPANY_PLACEHOLDER
