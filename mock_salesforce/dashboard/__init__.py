"""The dashboard: ``GET /_mock/`` in a browser. Server-rendered pages over the control plane's
logic (``org_admin``, ``pipeline``, the store and the security evaluator); nothing here decides
anything the JSON control plane or the API would decide differently.

Every page sits under ``/_mock/ui`` (so it is guarded like the rest of ``/_mock``); ``/_mock``
itself answers the dashboard to a browser (``Accept: text/html``) and a JSON hint otherwise.
Forms carry a CSRF token (``csrf.py``); a refused form answers a page that says why.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from ..errors import ControlError, OAuthError, SalesforceError
from ..pipeline import guards
from ..store import OrgNotFound
from . import csrf
from .common import render

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/_mock",
    template_folder="templates",
    static_folder="static",
    static_url_path="/ui/static",
)
bp.before_request(csrf.protect)
bp.after_request(csrf.set_cookie)


@bp.get("")
def root() -> Response | tuple[Response, int]:
    """``/_mock/``: the dashboard for a browser, a pointer to it for anything else."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return redirect(url_for("dashboard.orgs"), code=303)  # type: ignore[return-value]
    hint = "the control plane lives under /_mock/orgs; a browser gets the dashboard at /_mock/"
    return jsonify({"error": hint}), 404


@bp.route("/ui/unlock", methods=["GET", "POST"])
def unlock() -> Response | tuple[str, int] | str:
    """The control token, entered once: kept in an HttpOnly, same-site cookie."""
    if request.method == "GET":
        return render("unlock.html", message=None)
    if not guards.token_matches(request.form.get("control_token", "")):
        return render("unlock.html", message="That is not this server's control token."), 403
    response = redirect(url_for("dashboard.orgs"), code=303)
    response.set_cookie(
        guards.CONTROL_TOKEN_COOKIE,
        request.form["control_token"],
        httponly=True,
        samesite="Strict",
        path="/_mock",
    )
    return response  # type: ignore[return-value]


@bp.errorhandler(ControlError)
def _control(exc: ControlError) -> tuple[str, int]:
    return render("error.html", title="Refused", message=exc.message), exc.status


@bp.errorhandler(OrgNotFound)
def _no_org(exc: OrgNotFound) -> tuple[str, int]:
    return render("error.html", title="No such org", message=f"no org '{exc.args[0]}'"), 404


@bp.errorhandler(SalesforceError)
def _salesforce(exc: SalesforceError) -> tuple[str, int]:
    message = f"{exc.error_code}: {exc.message}"
    return render("error.html", title="Refused", message=message), exc.http_status


@bp.errorhandler(OAuthError)
def _oauth(exc: OAuthError) -> tuple[str, int]:
    message = f"{exc.error}: {exc.description}"
    return render("error.html", title="Refused", message=message), exc.status


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> tuple[str, int]:
    status = exc.code or 500
    return render("error.html", title=exc.name, message=exc.description or exc.name), status


@bp.errorhandler(ValueError)
@bp.errorhandler(KeyError)
@bp.errorhandler(TypeError)
def _bad_input(exc: Exception) -> tuple[str, int]:
    message = f"bad input ({type(exc).__name__}): {exc}"
    return render("error.html", title="Refused", message=message), 400


from . import journal, operations, orgs, permissions, records, users  # noqa: E402,F401
