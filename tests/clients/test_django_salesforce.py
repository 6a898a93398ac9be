"""django-salesforce (unmodified) drives the mock through the Django ORM, over HTTPS.

The project in ``tests/clients/django_app`` logs in with the OAuth password flow against the
mock as its ``HOST`` and trusts the mock's CA through ``REQUESTS_CA_BUNDLE``, as a user's
deployment would. Django is set up once per test process, on an org of its own whose usernames
no other test uses (a username leads to one org).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle, new_org
from mock_salesforce.pytest_plugin.control_client import ControlClient
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.tls import TlsFiles

pytest.importorskip("salesforce", reason="django-salesforce is in the test extra")

DJANGO_USER = "django@test.org"
DJANGO_ORG: dict[str, Any] = {
    "name": "Django Org",
    "users": [
        {
            "username": DJANGO_USER,
            "last_name": "Django",
            "profile": "Standard User",
            "password": "django-pass-1",
            "security_token": "DJANGOTOK",
        },
    ],
    "connected_apps": [{"name": "Django App", "callback_urls": ["http://localhost:8080/cb"]}],
}


@pytest.fixture(scope="session")
def django_org(
    https_control: ControlClient, https_server: LiveServer, mock_tls: TlsFiles
) -> Iterator[OrgHandle]:
    handle = new_org(https_control, https_server.url, DJANGO_ORG)
    app = handle.apps[0]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REQUESTS_CA_BUNDLE", str(mock_tls.ca_cert))
        env.setenv("DJANGO_SETTINGS_MODULE", "tests.clients.django_app.settings")
        env.setenv("DJANGO_SF_HOST", https_server.url)
        env.setenv("DJANGO_SF_CONSUMER_KEY", app["client_id"])
        env.setenv("DJANGO_SF_CONSUMER_SECRET", app["client_secret"])
        env.setenv("DJANGO_SF_USER", DJANGO_USER)
        env.setenv("DJANGO_SF_PASSWORD", "django-pass-1DJANGOTOK")
        import django

        django.setup()
        yield handle
    https_control.delete_org(handle.id)


@pytest.fixture
def orm(django_org: OrgHandle) -> Iterator[Any]:
    """The models, with every Contact and Account of the org deleted after the test."""
    from tests.clients.django_app import models

    yield models
    models.Contact.objects.all().delete()
    models.Account.objects.all().delete()


def test_orm_creates_reads_updates_and_deletes(orm: Any, django_org: OrgHandle) -> None:
    account = orm.Account.objects.create(name="Acme")
    contact = orm.Contact.objects.create(last_name="Doe", first_name="Jane", account=account)
    assert len(contact.pk) == 18, contact.pk
    fetched = orm.Contact.objects.select_related("account").get(pk=contact.pk)
    assert (fetched.name, fetched.account.name) == ("Jane Doe", "Acme"), fetched.__dict__
    assert fetched.created_date.microsecond == 0, fetched.created_date
    orm.Contact.objects.filter(pk=contact.pk).update(title="CTO")
    assert orm.Contact.objects.get(pk=contact.pk).title == "CTO"
    orm.Contact.objects.filter(pk=contact.pk).delete()
    assert not orm.Contact.objects.filter(pk=contact.pk).exists()
    [owner] = {r["OwnerId"] for r in django_org.control.records("Account")}
    assert owner == django_org.users[DJANGO_USER], "records belong to the logged-in user"


def test_orm_filters_orders_counts_and_bulk_creates(orm: Any) -> None:
    orm.Contact.objects.bulk_create([orm.Contact(last_name=f"C{n:02d}") for n in range(12)])
    names = list(
        orm.Contact.objects.filter(last_name__startswith="C0")
        .values_list("last_name", flat=True)
        .order_by("-last_name")
    )
    assert names == [f"C0{n}" for n in range(9, -1, -1)], names
    assert orm.Contact.objects.filter(last_name__in=["C10", "C11", "nope"]).count() == 2


def test_hour_and_date_lookups_use_the_users_time_zone(orm: Any, django_org: OrgHandle) -> None:
    # 02:30 UTC on 15 January is 18:30 on 14 January in Los Angeles (user and Django zone).
    [contact_id] = django_org.control.seed_records(
        "Contact",
        [{"LastName": "Early", "CreatedDate": "2024-01-15T02:30:00Z", "OwnerId": DJANGO_USER}],
    )
    early = orm.Contact.objects.filter(last_name="Early")
    assert [c.pk for c in early.filter(created_date__hour=18)] == [contact_id]
    assert list(early.filter(created_date__hour=2)) == []
    assert [c.pk for c in early.filter(created_date__date=date(2024, 1, 14))] == [contact_id]
    assert early.get().created_date == datetime(2024, 1, 15, 2, 30, tzinfo=UTC)


def test_orm_errors_are_salesforce_errors(orm: Any) -> None:
    from salesforce.dbapi.exceptions import SalesforceError

    with pytest.raises(SalesforceError, match="REQUIRED_FIELD_MISSING"):
        orm.Contact.objects.create(first_name="No last name", last_name=None)
    assert os.environ.get("REQUESTS_CA_BUNDLE"), "the CA is trusted the way a deployment does"
