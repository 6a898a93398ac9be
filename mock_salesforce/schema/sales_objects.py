"""The sales objects: Account, Contact, Lead, Opportunity, Task and Event (Object Reference)."""

from __future__ import annotations

from .builders import data_object, derived_flag, f, person_name_fields, picklist, ref
from .model import FieldDef

LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
INDUSTRIES = (
    "Agriculture",
    "Banking",
    "Consulting",
    "Education",
    "Finance",
    "Healthcare",
    "Manufacturing",
    "Media",
    "Retail",
    "Technology",
    "Other",
)
LEAD_STATUSES = (
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
)
TASK_STATUSES = ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred")
PRIORITIES = ("High", "Normal", "Low")
TASK_SUBTYPES = ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")
STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)
WHAT_TARGETS = ("Account", "Opportunity")


def _address(prefix: str) -> tuple[FieldDef, ...]:
    return (
        f(f"{prefix}Street", "textarea", length=255),
        f(f"{prefix}City", "string", length=40),
        f(f"{prefix}State", "string", length=80),
        f(f"{prefix}PostalCode", "string", length=20),
        f(f"{prefix}Country", "string", length=80),
    )


ACCOUNT = data_object(
    "Account",
    "001",
    "Account",
    "Accounts",
    f("Name", "string", "Account Name", nillable=False, name_field=True),
    ref("ParentId", "Account", label="Parent Account ID"),
    f(
        "Type",
        "picklist",
        picklist=(
            "Prospect",
            "Customer - Direct",
            "Customer - Channel",
            "Channel Partner / Reseller",
            "Installation Partner",
            "Technology Partner",
            "Other",
        ),
    ),
    *_address("Billing"),
    *_address("Shipping"),
    f("Phone", "phone", "Account Phone"),
    f("Fax", "phone", "Account Fax"),
    f("Website", "url"),
    picklist("Industry", INDUSTRIES),
    f("AnnualRevenue", "currency", precision=18, scale=0),
    f("NumberOfEmployees", "int", "Employees", precision=8),
    f("Description", "textarea", "Account Description"),
    picklist("AccountSource", LEAD_SOURCES),
)

CONTACT = data_object(
    "Contact",
    "003",
    "Contact",
    "Contacts",
    ref("AccountId", "Account"),
    *person_name_fields(),
    *_address("Mailing"),
    f("Phone", "phone", "Business Phone"),
    f("MobilePhone", "phone", "Mobile Phone"),
    f("Email", "email"),
    f("Title", "string", length=128),
    f("Department", "string", length=80),
    picklist("LeadSource", LEAD_SOURCES),
    f("Description", "textarea", "Contact Description"),
    f(
        "HasOptedOutOfEmail",
        "boolean",
        "Email Opt Out",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
    f("Birthdate", "date"),
)

LEAD = data_object(
    "Lead",
    "00Q",
    "Lead",
    "Leads",
    *person_name_fields(),
    f("Company", "string", length=255, nillable=False),
    f("Title", "string", length=128),
    *_address(""),
    f("Phone", "phone"),
    f("MobilePhone", "phone", "Mobile Phone"),
    f("Email", "email"),
    f("Website", "url"),
    picklist("LeadSource", LEAD_SOURCES),
    picklist(
        "Status",
        LEAD_STATUSES,
        nillable=False,
        defaulted_on_create=True,
        default="Open - Not Contacted",
    ),
    picklist("Industry", INDUSTRIES),
    f("NumberOfEmployees", "int", "Employees", precision=8),
    f("Description", "textarea"),
    f(
        "IsConverted",
        "boolean",
        "Converted",
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
    ),
    f(
        "HasOptedOutOfEmail",
        "boolean",
        "Email Opt Out",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
    owner=("Group", "User"),
)

OPPORTUNITY = data_object(
    "Opportunity",
    "006",
    "Opportunity",
    "Opportunities",
    ref("AccountId", "Account"),
    f("Name", "string", length=120, nillable=False, name_field=True),
    f("Description", "textarea"),
    picklist("StageName", STAGES, nillable=False),
    f("Amount", "currency", precision=18, scale=2),
    f("Probability", "percent", precision=3),
    f("CloseDate", "date", nillable=False),
    f("Type", "picklist", picklist=("Existing Customer - Upgrade", "New Customer")),
    picklist("LeadSource", LEAD_SOURCES),
    derived_flag("IsClosed", "Closed", "opportunity_closed"),
    derived_flag("IsWon", "Won", "opportunity_won"),
)

_ACTIVITY_COMMON = (
    ref("WhoId", "Contact", "Lead", label="Name ID"),
    ref("WhatId", *WHAT_TARGETS, label="Related To ID"),
    f("Subject", "combobox"),
    f("ActivityDate", "date", "Due Date Only"),
    f("Description", "textarea"),
    ref("AccountId", "Account", createable=False, updateable=False, derived="activity_account"),
    f("IsPrivate", "boolean", "Private", nillable=False, defaulted_on_create=True, default=False),
)

TASK = data_object(
    "Task",
    "00T",
    "Task",
    "Tasks",
    *_ACTIVITY_COMMON,
    picklist(
        "Status", TASK_STATUSES, nillable=False, defaulted_on_create=True, default="Not Started"
    ),
    picklist("Priority", PRIORITIES, nillable=False, defaulted_on_create=True, default="Normal"),
    picklist("TaskSubtype", TASK_SUBTYPES, updateable=False),
    f("Type", "picklist", picklist=("Call", "Email", "Meeting", "Other")),
    derived_flag("IsClosed", "Closed", "task_closed"),
    derived_flag("IsHighPriority", "High Priority", "task_high_priority"),
    picklist("CallType", ("Internal", "Inbound", "Outbound")),
    f("CallDurationInSeconds", "int", "Call Duration", precision=8),
    f("CallDisposition", "string", "Call Result"),
    f("CallObject", "string", "Call Object Identifier"),
    f(
        "CompletedDateTime",
        "datetime",
        "Completed Date/Time",
        createable=False,
        updateable=False,
        derived="task_completed",
    ),
    owner=("Group", "User"),
)

EVENT = data_object(
    "Event",
    "00U",
    "Event",
    "Events",
    *_ACTIVITY_COMMON,
    f("Location", "string"),
    f(
        "IsAllDayEvent",
        "boolean",
        "All-Day Event",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
    f("ActivityDateTime", "datetime", "Due Date Time"),
    f("StartDateTime", "datetime", "Start Date Time"),
    f("EndDateTime", "datetime", "End Date Time"),
    f("EndDate", "date", "End Date"),
    f("DurationInMinutes", "int", "Duration", precision=8),
    picklist("ShowAs", ("Busy", "OutOfOffice", "Free"), defaulted_on_create=True, default="Busy"),
    picklist(
        "EventSubtype", ("Event",), updateable=False, defaulted_on_create=True, default="Event"
    ),
    f("Type", "picklist", picklist=("Call", "Email", "Meeting", "Other")),
    owner=("User",),
)
