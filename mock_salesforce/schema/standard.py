"""The standard objects the mock models, with their standard fields (Object Reference).

Only the fields an integration touches are listed; custom fields are added per org through the
control plane (``/_mock/orgs/<id>/fields``).
"""

from __future__ import annotations

from typing import Any

from .model import FieldDef, ObjectDef


def f(name: str, type_: str, label: str = "", **attrs: Any) -> FieldDef:
    """A field; ``label`` defaults to the API name split on capitals."""
    if "length" not in attrs and type_ in ("string", "phone", "email", "url", "combobox"):
        attrs["length"] = 255 if type_ != "phone" else 40
    if "length" not in attrs and type_ in ("picklist", "multipicklist"):
        attrs["length"] = 255 if type_ == "picklist" else 4099
    if "length" not in attrs and type_ == "textarea":
        attrs["length"] = 32000
    if type_ in ("id", "reference") and "length" not in attrs:
        attrs["length"] = 18
    return FieldDef(name=name, type=type_, label=label or _label(name), **attrs)


def ref(name: str, *targets: str, relationship: str | None = None, **attrs: Any) -> FieldDef:
    """A lookup field; the relationship name defaults to the field name without ``Id``."""
    rel = relationship if relationship is not None else name.removesuffix("Id")
    return f(name, "reference", reference_to=tuple(targets), relationship_name=rel, **attrs)


def _label(name: str) -> str:
    out = []
    for index, char in enumerate(name):
        if char.isupper() and index and not name[index - 1].isupper():
            out.append(" ")
        out.append(char)
    return "".join(out).removesuffix(" Id").replace("Is ", "")


def picklist(name: str, values: tuple[str, ...], **attrs: Any) -> FieldDef:
    return f(name, "picklist", picklist=values, **attrs)


SYSTEM: dict[str, Any] = {"createable": False, "updateable": False, "permissionable": False}


def audit_fields() -> tuple[FieldDef, ...]:
    """The audit and system fields every data object carries (API guide, "System Fields")."""
    return (
        f(
            "IsDeleted",
            "boolean",
            "Deleted",
            nillable=False,
            defaulted_on_create=True,
            default=False,
            **SYSTEM,
        ),
        f(
            "CreatedDate",
            "datetime",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        ref(
            "CreatedById",
            "User",
            label="Created By ID",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        f(
            "LastModifiedDate",
            "datetime",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        ref(
            "LastModifiedById",
            "User",
            label="Last Modified By ID",
            nillable=False,
            defaulted_on_create=True,
            audit=True,
            **SYSTEM,
        ),
        f(
            "SystemModstamp",
            "datetime",
            "System Modstamp",
            nillable=False,
            defaulted_on_create=True,
            **SYSTEM,
        ),
    )


def id_field() -> FieldDef:
    return f(
        "Id", "id", "Record ID", nillable=False, defaulted_on_create=True, id_lookup=True, **SYSTEM
    )


def owner_field(*targets: str) -> FieldDef:
    return ref(
        "OwnerId",
        *(targets or ("User",)),
        label="Owner ID",
        nillable=False,
        defaulted_on_create=True,
        permissionable=False,
    )


def data_object(
    name: str,
    prefix: str,
    label: str,
    plural: str,
    *fields: FieldDef,
    owner: tuple[str, ...] = ("User",),
) -> ObjectDef:
    head = [id_field()]
    if owner:
        head.append(owner_field(*owner))
    return ObjectDef(
        name=name,
        key_prefix=prefix,
        label=label,
        label_plural=plural,
        fields=(*head, *fields, *audit_fields()),
        has_owner=bool(owner),
    )


def setup_object(name: str, prefix: str, label: str, plural: str, *fields: FieldDef) -> ObjectDef:
    return ObjectDef(
        name=name,
        key_prefix=prefix,
        label=label,
        label_plural=plural,
        fields=(id_field(), *fields, *audit_fields()),
        setup=True,
        has_owner=False,
        createable=False,
        updateable=False,
        deletable=False,
    )


SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx.")
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


def _person_name() -> tuple[FieldDef, ...]:
    return (
        f("LastName", "string", length=80, nillable=False),
        f("FirstName", "string", length=40),
        picklist("Salutation", SALUTATIONS),
        f(
            "Name",
            "string",
            "Full Name",
            length=121,
            name_field=True,
            derived="full_name",
            createable=False,
            updateable=False,
        ),
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
    *_person_name(),
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
    *_person_name(),
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
    f(
        "IsClosed",
        "boolean",
        "Closed",
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
        derived="opportunity_closed",
    ),
    f(
        "IsWon",
        "boolean",
        "Won",
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
        derived="opportunity_won",
    ),
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
    f(
        "IsClosed",
        "boolean",
        "Closed",
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
        derived="task_closed",
    ),
    f(
        "IsHighPriority",
        "boolean",
        "High Priority",
        nillable=False,
        defaulted_on_create=True,
        default=False,
        createable=False,
        updateable=False,
        derived="task_high_priority",
    ),
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

ORGANIZATION = setup_object(
    "Organization",
    "00D",
    "Organization",
    "Organizations",
    f("Name", "string", length=80, name_field=True),
    f("OrganizationType", "string", "Edition", length=40),
    f("InstanceName", "string", length=5),
    f("IsSandbox", "boolean", "Is Sandbox"),
    f("TimeZoneSidKey", "string", "Default Time Zone", length=40),
    f("LanguageLocaleKey", "string", "Default Language", length=40),
    f("DefaultLocaleSidKey", "string", "Default Locale", length=40),
    f("Country", "string", length=80),
)

PROFILE = setup_object(
    "Profile",
    "00e",
    "Profile",
    "Profiles",
    f("Name", "string", length=255, name_field=True),
    f("Description", "string"),
    f("UserType", "string", "User Type", length=40),
    f("UserLicenseId", "string", "User License ID", length=18),
    ref(
        "PermissionSetId", "PermissionSet", relationship="PermissionSet", label="Permission Set ID"
    ),
)

# PermissionSet's user-permission columns; the profile-owned permission set holds the profile's.
USER_PERMISSIONS = (
    "ApiEnabled",
    "ApiUserOnly",
    "ModifyAllData",
    "ViewAllData",
    "ViewSetup",
    "ManageUsers",
    "TransferAnyEntity",
    "TransferAnyLead",
    "CreateAuditFields",
    "UpdateWithInactiveOwner",
    "ViewAllUsers",
    "EditTask",
    "EditEvent",
    "ConvertLeads",
    "BulkApiHardDelete",
    "AuthorApex",
    "CustomizeApplication",
    "LightningExperienceUser",
)

PERMISSION_SET = setup_object(
    "PermissionSet",
    "0PS",
    "Permission Set",
    "Permission Sets",
    f("Name", "string", "API Name", length=80),
    f("Label", "string", length=80, name_field=True),
    f("Description", "string"),
    f(
        "IsOwnedByProfile",
        "boolean",
        "Is Owned By Profile",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
    ref("ProfileId", "Profile"),
    f("LicenseId", "string", "License ID", length=18),
    f("Type", "string", length=40),
    *(
        f(f"Permissions{p}", "boolean", p, nillable=False, defaulted_on_create=True, default=False)
        for p in USER_PERMISSIONS
    ),
)

PERMISSION_SET_ASSIGNMENT = setup_object(
    "PermissionSetAssignment",
    "0Pa",
    "Permission Set Assignment",
    "Permission Set Assignments",
    ref("AssigneeId", "User", nillable=False),
    ref("PermissionSetId", "PermissionSet", nillable=False),
    f("PermissionSetGroupId", "string", "Permission Set Group ID", length=18),
    f("IsActive", "boolean", "Is Active", nillable=False, defaulted_on_create=True, default=True),
)

OBJECT_PERMISSIONS = setup_object(
    "ObjectPermissions",
    "110",
    "Object Permissions",
    "Object Permissions",
    ref("ParentId", "PermissionSet", relationship="Parent", nillable=False),
    f("SobjectType", "string", "Sobject Type Name", length=40, nillable=False),
    *(
        f(f"Permissions{p}", "boolean", p, nillable=False, defaulted_on_create=True, default=False)
        for p in ("Read", "Create", "Edit", "Delete", "ViewAllRecords", "ModifyAllRecords")
    ),
)

FIELD_PERMISSIONS = setup_object(
    "FieldPermissions",
    "01k",
    "Field Permissions",
    "Field Permissions",
    ref("ParentId", "PermissionSet", relationship="Parent", nillable=False),
    f("SobjectType", "string", "Sobject Type Name", length=40, nillable=False),
    f("Field", "string", "Field Name", length=255, nillable=False),
    f(
        "PermissionsRead",
        "boolean",
        "Read",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
    f(
        "PermissionsEdit",
        "boolean",
        "Edit",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
)

USER = setup_object(
    "User",
    "005",
    "User",
    "Users",
    f("Username", "string", length=80, nillable=False, unique=True, id_lookup=True),
    *_person_name(),
    f("Alias", "string", length=8, nillable=False),
    f("Email", "email", nillable=False),
    f("CommunityNickname", "string", "Nickname", length=40),
    f("IsActive", "boolean", "Active", nillable=False, defaulted_on_create=True, default=True),
    ref("ProfileId", "Profile", nillable=False),
    f("UserType", "string", "User Type", length=40, defaulted_on_create=True, default="Standard"),
    f("Title", "string", length=80),
    f("Department", "string", length=80),
    f(
        "TimeZoneSidKey",
        "string",
        "Time Zone",
        length=40,
        defaulted_on_create=True,
        default="America/Los_Angeles",
    ),
    f("LocaleSidKey", "string", "Locale", length=40, defaulted_on_create=True, default="en_US"),
    f(
        "LanguageLocaleKey",
        "string",
        "Language",
        length=40,
        defaulted_on_create=True,
        default="en_US",
    ),
    f(
        "EmailEncodingKey",
        "string",
        "Email Encoding",
        length=40,
        defaulted_on_create=True,
        default="UTF-8",
    ),
    f("LastLoginDate", "datetime", "Last Login"),
)

USER_LOGIN = setup_object(
    "UserLogin",
    "060",
    "User Login",
    "User Logins",
    ref("UserId", "User", nillable=False),
    f("IsFrozen", "boolean", "Is Frozen", nillable=False, defaulted_on_create=True, default=False),
    f(
        "IsPasswordLocked",
        "boolean",
        "Is Password Locked",
        nillable=False,
        defaulted_on_create=True,
        default=False,
    ),
)

GROUP = setup_object(
    "Group",
    "00G",
    "Group",
    "Groups",
    f("Name", "string", length=40, name_field=True),
    f("DeveloperName", "string", length=80),
    f("Type", "string", length=40),
)

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
