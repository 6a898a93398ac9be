"""A minimal Django project using django-salesforce the way its users do (tests/clients)."""
