"""The setup objects an integration reads to check itself: users, profiles, permission sets."""

from __future__ import annotations

from .builders import f, person_name_fields, ref, setup_object

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
    *person_name_fields(),
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
