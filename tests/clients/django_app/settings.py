"""Django settings for the django-salesforce client suite.

The ``salesforce`` connection is filled from the environment by the test fixture before
``django.setup()``: the mock's base URL is the login host, and the connected app and user
are the fresh org's. Nothing else differs from a real project's settings.
"""

from __future__ import annotations

import os

SECRET_KEY = "django-salesforce-client-suite"
USE_TZ = True
TIME_ZONE = "America/Los_Angeles"  # the same zone as the Salesforce user's TimeZoneSidKey
INSTALLED_APPS = ["salesforce", "tests.clients.django_app"]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "salesforce": {
        "ENGINE": "salesforce.backend",
        "CONSUMER_KEY": os.environ.get("DJANGO_SF_CONSUMER_KEY", ""),
        "CONSUMER_SECRET": os.environ.get("DJANGO_SF_CONSUMER_SECRET", ""),
        "USER": os.environ.get("DJANGO_SF_USER", ""),
        "PASSWORD": os.environ.get("DJANGO_SF_PASSWORD", ""),
        "HOST": os.environ.get("DJANGO_SF_HOST", ""),
    },
}
DATABASE_ROUTERS = ["salesforce.router.ModelRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SALESFORCE_QUERY_TIMEOUT = (10, 30)
