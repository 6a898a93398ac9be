"""Orgs: the list (create from a seed file, clone, reset, delete), an org's clock and settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import yaml
from flask import Response, request

from .. import org_admin
from ..control.observability import clock_json
from ..control.orgs import org_json
from ..errors import ControlError
from ..org_admin.seed import apply_seed, demo_seed
from ..schema.values import parse_datetime
from . import bp
from .common import checked, done, field, object_names, org, registry, render

CLOCK_UNITS = ("seconds", "minutes", "hours", "days")


@bp.get("/ui")
def orgs() -> str:
    """Every org of this server."""
    return render("orgs.html", orgs=[org_json(s) for s in registry().all()])


@bp.post("/ui/orgs")
def create_org() -> Response:
    """An empty org, the demo org, or the orgs of an uploaded seed file (JSON or YAML)."""
    source = field("source", "empty")
    if source == "file":
        created = apply_seed(registry(), _uploaded_seed())
        return done("dashboard.orgs", f"Seeded {', '.join(o['name'] for o in created)}")
    if source == "demo":
        seed = demo_seed()
        if field("name"):
            seed["orgs"][0]["name"] = field("name")
        created = apply_seed(registry(), seed)
        return done("dashboard.org", f"Created {created[0]['name']}", org_id=created[0]["id"])
    store = org_admin.create_org(registry(), field("name") or "Test Org")
    store.save_snapshot()  # the reset point
    return done("dashboard.org", f"Created {store.setting('name')}", org_id=store.org_id)


def _uploaded_seed() -> dict[str, Any]:
    upload = request.files.get("seed_file")
    text = upload.read().decode("utf-8", "replace") if upload else field("seed_text")
    if not text.strip():
        raise ControlError("choose a seed file (JSON or YAML) or paste one")
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise ControlError(f"the seed is neither JSON nor YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ControlError('a seed file holds {"orgs": [ {...}, ... ]}')
    return data


@bp.post("/ui/orgs/<org_id>/clone")
def clone_org(org_id: str) -> Response:
    copy = org_admin.clone_org(registry(), org(org_id), field("name") or None)
    return done("dashboard.org", f"Cloned into {copy.setting('name')}", org_id=copy.org_id)


@bp.post("/ui/orgs/<org_id>/reset")
def reset_org(org_id: str) -> Response:
    """Back to the state right after seeding (the org's initial snapshot)."""
    store = org(org_id)
    if not store.restore():
        raise ControlError("this org has no initial snapshot to reset to")
    return done("dashboard.org", "Reset to its initial state", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/delete")
def delete_org(org_id: str) -> Response:
    name = org(org_id).setting("name")
    registry().remove(org_id)
    return done("dashboard.orgs", f"Deleted {name}")


@bp.get("/ui/orgs/<org_id>", endpoint="org")
def org_page(org_id: str) -> str:
    """One org: what it is, its clock and its settings."""
    store = org(org_id)
    return render(
        "org.html",
        store,
        summary=org_json(store),
        clock=clock_json(store),
        clock_units=CLOCK_UNITS,
        setting_names=[*org_admin.ORG_SETTINGS, *(f"sharing:{o}" for o in object_names(store))],
        has_initial=store.snapshots is not None and store.snapshots.has("__initial__"),
    )


@bp.post("/ui/orgs/<org_id>/clock")
def set_clock(org_id: str) -> Response:
    """Set the clock (frozen or running), advance it, let it run, or go back to real time."""
    store = org(org_id)
    action = field("action")
    if action == "set":
        try:
            moment = parse_datetime(field("now"))
        except ValueError as exc:
            raise ControlError(f"'{field('now')}' is not a date and time: {exc}") from exc
        store.clock.set(moment, frozen=checked("frozen"))
    elif action == "advance":
        unit = field("unit", "hours")
        if unit not in CLOCK_UNITS:
            raise ControlError(f"advance by one of {', '.join(CLOCK_UNITS)}")
        store.clock.advance(timedelta(**{unit: float(field("amount") or "0")}))
    elif action == "freeze":
        store.clock.set(store.now(), frozen=True)
    elif action == "run":
        store.clock.resume()
    elif action == "real":
        store.clock.reset()
    else:
        raise ControlError(f"unknown clock action '{action}'")
    return done("dashboard.org", f"Clock: {clock_json(store)['now']}", org_id=org_id)


@bp.post("/ui/orgs/<org_id>/settings")
def change_setting(org_id: str) -> Response:
    """One setting; the value is read as the setting's type (empty clears it)."""
    store = org(org_id)
    key = field("key")
    org_admin.set_org_setting(store, key, _setting_value(key, field("value")))
    return done("dashboard.org", f"Setting {key} saved", org_id=org_id)


def _setting_value(key: str, text: str) -> Any:
    kind = org_admin.ORG_SETTINGS.get(key, str)
    if not text:
        return None
    if kind is bool:
        return text.lower() in ("true", "on", "yes", "1")
    if kind is int:
        try:
            return int(text)
        except ValueError as exc:
            raise ControlError(f"setting '{key}' is a whole number, not '{text}'") from exc
    if kind is list:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text
