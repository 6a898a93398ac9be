"""What every dashboard page shares: the org it is about, rendering, redirects with a notice."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for

from .. import org_admin
from ..pipeline.state import org, registry
from ..store import OrgStore
from . import csrf

# The pages of an org, in the order of the navigation bar: (endpoint, label).
ORG_PAGES = (
    ("dashboard.org", "Org"),
    ("dashboard.users", "Users"),
    ("dashboard.permissions", "Permissions"),
    ("dashboard.records", "Records"),
    ("dashboard.journal", "Journal"),
    ("dashboard.faults", "Faults"),
    ("dashboard.snapshots", "Snapshots"),
    ("dashboard.apps", "Connected apps"),
)


# Pages reached by a form or a link that belong under another page's navigation entry.
NAV_ALIASES = {
    "dashboard.journal_entry": "dashboard.journal",
    "dashboard.issue_token": "dashboard.users",
    "dashboard.reveal_secret": "dashboard.apps",
}


def render(template: str, store: OrgStore | None = None, **context: Any) -> str:
    """A page: the template with the org's navigation, the CSRF token and any notice."""
    return render_template(
        f"dashboard/{template}",  # namespaced: the OAuth pages have an error.html of their own
        store=store,
        org_name=store.setting("name") if store is not None else None,
        org_pages=ORG_PAGES if store is not None else (),
        csrf_token=csrf.token(),
        notice=request.args.get("notice"),
        current_page=NAV_ALIASES.get(request.endpoint or "", request.endpoint),
        **context,
    )


def done(endpoint: str, notice: str, **values: Any) -> Response:
    """After a form: back to a page (303, so a reload does not post again) with a notice."""
    return redirect(url_for(endpoint, notice=notice, **values), code=303)  # type: ignore[return-value]


def field(name: str, default: str = "") -> str:
    """A form field, stripped."""
    return (request.form.get(name) or default).strip()


def checked(name: str) -> bool:
    return request.form.get(name) in ("on", "true", "1")


def user_names(store: OrgStore) -> dict[str, str]:
    """User id -> "Name (username)", for showing OwnerId, CreatedById and LastModifiedById."""
    rows = store.query('SELECT Id, Name, Username FROM "User"')
    return {r["Id"]: f"{r['Name']} ({r['Username']})" for r in rows}


def user_choices(store: OrgStore) -> list[dict[str, Any]]:
    """Users for a select box: id, username, name, active."""
    rows = store.query('SELECT Id, Name, Username, IsActive FROM "User" ORDER BY rowid')
    return [dict(r) for r in rows]


def object_names(store: OrgStore) -> list[str]:
    """The org's data objects (setup objects left out), sorted."""
    return sorted(o.name for o in store.schema if not o.setup)


def find_user_id(store: OrgStore, user: str) -> str:
    return str(org_admin.find_user(store, user)["Id"])


__all__ = [
    "ORG_PAGES",
    "checked",
    "done",
    "field",
    "find_user_id",
    "object_names",
    "org",
    "registry",
    "render",
    "user_choices",
    "user_names",
]
