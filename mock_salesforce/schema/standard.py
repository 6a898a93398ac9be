"""The standard objects the mock models, with their standard fields (Object Reference).

Only the fields an integration touches are listed; custom fields are added per org through the
control plane (``/_mock/orgs/<id>/fields``).
"""

from __future__ import annotations

from .sales_objects import ACCOUNT, CONTACT, EVENT, LEAD, OPPORTUNITY, TASK
from .setup_objects import (
    FIELD_PERMISSIONS,
    GROUP,
    OBJECT_PERMISSIONS,
    ORGANIZATION,
    PERMISSION_SET,
    PERMISSION_SET_ASSIGNMENT,
    PROFILE,
    USER,
    USER_LOGIN,
    USER_PERMISSIONS,
)

__all__ = ["DATA_OBJECTS", "SETUP_OBJECTS", "STANDARD_OBJECTS", "USER_PERMISSIONS"]

DATA_OBJECTS = (ACCOUNT, CONTACT, LEAD, OPPORTUNITY, TASK, EVENT)
SETUP_OBJECTS = (
    ORGANIZATION,
    USER,
    USER_LOGIN,
    PROFILE,
    PERMISSION_SET,
    PERMISSION_SET_ASSIGNMENT,
    OBJECT_PERMISSIONS,
    FIELD_PERMISSIONS,
    GROUP,
)
STANDARD_OBJECTS = DATA_OBJECTS + SETUP_OBJECTS
