"""Salesforce objects as Django models (django-salesforce maps ``last_name`` to LastName)."""

from __future__ import annotations

from salesforce import models


class Account(models.SalesforceModel):  # type: ignore[misc]
    name = models.CharField(max_length=255)
    phone = models.CharField(max_length=40, blank=True, null=True)

    class Meta:
        app_label = "django_app"
        db_table = "Account"


class Contact(models.SalesforceModel):  # type: ignore[misc]
    account = models.ForeignKey(Account, on_delete=models.DO_NOTHING, blank=True, null=True)
    last_name = models.CharField(max_length=80)
    first_name = models.CharField(max_length=40, blank=True, null=True)
    name = models.CharField(max_length=121, sf_read_only=models.READ_ONLY)
    email = models.EmailField(blank=True, null=True)
    title = models.CharField(max_length=128, blank=True, null=True)
    created_date = models.DateTimeField(sf_read_only=models.READ_ONLY)

    class Meta:
        app_label = "django_app"
        db_table = "Contact"
