"""``/services/oauth2/authorize``: the web-server flow's pages (login, consent) and redirects
(Salesforce Help, "OAuth 2.0 Web Server Flow for Web App Integration").

Errors about the callback itself (unknown client, unregistered redirect URI) are shown as a
page; every other error goes back to the callback with ``error``, ``error_description`` and
``state``. Every step (the login POST, the consent POST, a GET with a browser session,
``immediate``) checks the request and the user again: a step reached directly gets no further
than the pages would have let it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Response, make_response, redirect, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as HttpResponse

from .. import pipeline
from ..errors import OAuthError
from ..pipeline.sessions import security_for
from . import bp, browser, clients, credentials, grants
from .clients import Client


class PageError(Exception):
    """An authorize error shown in the browser, never redirected."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status


class RedirectError(Exception):
    """An authorize error sent back to the app's callback."""

    def __init__(self, target: AuthorizeRequest, error: str, description: str) -> None:
        super().__init__(error)
        self.target = target
        self.error = error
        self.description = description


@dataclass(frozen=True)
class AuthorizeRequest:
    """The query parameters of an authorize call, checked."""

    client: Client
    redirect_uri: str
    state: str | None
    scope: str
    code_challenge: str | None
    prompt: frozenset[str]
    login_hint: str
    immediate: bool

    def callback(self, **params: str) -> HttpResponse:
        """A redirect to the app's callback with ``params`` (and ``state``)."""
        if self.state is not None:
            params["state"] = self.state
        joiner = "&" if "?" in self.redirect_uri else "?"
        return redirect(self.redirect_uri + joiner + urlencode(params), code=302)


@bp.errorhandler(PageError)
def _page_error(exc: PageError) -> Response:
    html = render_template("error.html", error=exc.error, description=exc.description)
    return browser.page_response(html, exc.status)


@bp.errorhandler(RedirectError)
def _redirect_error(exc: RedirectError) -> HttpResponse:
    return exc.target.callback(error=exc.error, error_description=exc.description)


@bp.route("/services/oauth2/authorize", methods=["GET", "POST"])
def authorize() -> ResponseReturnValue:
    pipeline.begin("oauth")
    step = request.form.get("step") if request.method == "POST" else None
    if step is not None and not browser.csrf_ok():
        raise PageError("invalid_request", CSRF_REFUSED, status=403)
    if step == "login":
        return _submit_login(parse_request(request.form.get("username")))
    target = parse_request()
    if step == "consent":
        consenting = browser.current_user(target.client.store)
        if consenting is not None:
            return _submit_consent(target, consenting)
    user_id = None if "login" in target.prompt else browser.current_user(target.client.store)
    if user_id is None:
        if target.immediate:
            raise RedirectError(target, "immediate_unsuccessful", "immediate unsuccessful")
        return login_page(target)
    return after_login(target, user_id)


def parse_request(username: str | None = None) -> AuthorizeRequest:
    args = request.args
    try:
        client = clients.find_client(args.get("client_id"), username=username)
    except OAuthError as exc:
        raise PageError(exc.error, exc.description) from exc
    redirect_uri = args.get("redirect_uri")
    if not redirect_uri:
        raise PageError("redirect_uri_missing", "redirect_uri not provided")
    if redirect_uri not in client.app.get("callback_urls", ()):
        raise PageError("redirect_uri_mismatch", "redirect_uri must match configuration")
    target = AuthorizeRequest(
        client=client,
        redirect_uri=redirect_uri,
        state=args.get("state"),
        scope=args.get("scope") or " ".join(client.scopes),
        code_challenge=args.get("code_challenge") or None,
        prompt=frozenset((args.get("prompt") or "").split()),
        login_hint=args.get("login_hint", ""),
        immediate=args.get("immediate", "").lower() == "true",
    )
    _check_request(target, args.get("response_type"), args.get("code_challenge_method"))
    return target


def _check_request(target: AuthorizeRequest, response_type: str | None, method: str | None) -> None:
    if response_type != "code":
        raise RedirectError(target, "unsupported_response_type", "response type not supported")
    clients_app = target.client.app
    if clients_app.get("blocked"):
        raise RedirectError(target, "OAUTH_APP_BLOCKED", "this app is blocked by admin")
    if not set(target.scope.split()) <= set(target.client.scopes):
        raise RedirectError(
            target, "invalid_scope", "requested scope is invalid, unknown, or malformed"
        )
    if method and method != "S256":
        raise RedirectError(target, "invalid_request", "invalid code challenge method")
    if clients_app.get("pkce_required") and not target.code_challenge:
        raise RedirectError(target, "invalid_request", "missing required code challenge")


CSRF_REFUSED = "the form did not come from this browser's authorize page; reload the page"


def login_page(target: AuthorizeRequest, error: str | None = None) -> Response:
    html = render_template(
        "login.html",
        action=request.full_path,
        app_name=target.client.app["name"],
        username=request.form.get("username") or target.login_hint,
        error=error,
        csrf_token=browser.csrf_token(),
    )
    return browser.page_response(html)


def _submit_login(target: AuthorizeRequest) -> ResponseReturnValue:
    store = target.client.store
    try:
        user = credentials.log_in(
            store, request.form.get("username", ""), request.form.get("password", ""), False
        )
    except OAuthError:
        # Salesforce's login page never says which part was wrong, nor whether the user is
        # frozen or inactive.
        return login_page(target, LOGIN_ERROR)
    clients.note_user(store, user.user_id)
    response = make_response(after_login(target, user.user_id))
    browser.start(store, user.user_id, response)
    return response


LOGIN_ERROR = (
    "Please check your username and password. If you still can't log in, contact your "
    "Salesforce administrator."
)


def after_login(target: AuthorizeRequest, user_id: str) -> ResponseReturnValue:
    """Approval: API Only users stop here; then admin pre-authorization or the user's consent."""
    client = target.client
    refused = _refusal(target, user_id)
    if refused is not None:
        return refused
    if client.app.get("permitted_users") == "admin_approved":
        return _issue_code(target, user_id)
    if "consent" not in target.prompt and grants.has_approved(
        client.store, user_id, client.client_id
    ):
        return _issue_code(target, user_id)
    if target.immediate:
        raise RedirectError(target, "immediate_unsuccessful", "immediate unsuccessful")
    html = render_template(
        "consent.html",
        action=request.full_path,
        app_name=client.app["name"],
        scopes=target.scope.split(),
        csrf_token=browser.csrf_token(),
    )
    return browser.page_response(html)


def _refusal(target: AuthorizeRequest, user_id: str) -> Response | None:
    """What stops ``user_id`` from authorizing this app, checked at every step: an inactive or
    frozen user (back to the login page), an API Only user (the restricted page), a user an
    admin-approved app is not assigned to (``OAUTH_APP_ACCESS_DENIED``)."""
    client = target.client
    state = security_for(client.store).user_state(user_id)
    if state is None or not state.active or state.frozen:
        return login_page(target, LOGIN_ERROR)
    if security_for(client.store).permissions(user_id).api_only:
        return browser.page_response(render_template("restricted.html"))
    if client.app.get("permitted_users") == "admin_approved" and not clients.admin_approved(
        client, user_id
    ):
        raise RedirectError(
            target, "OAUTH_APP_ACCESS_DENIED", "user is not admin approved to access this app"
        )
    return None


def _submit_consent(target: AuthorizeRequest, user_id: str) -> ResponseReturnValue:
    refused = _refusal(target, user_id)
    if refused is not None:
        return refused
    if request.form.get("decision") != "allow":
        raise RedirectError(target, "access_denied", "end-user denied authorization")
    grants.approve(target.client.store, user_id, target.client.client_id)
    return _issue_code(target, user_id)


def _issue_code(target: AuthorizeRequest, user_id: str) -> HttpResponse:
    client = target.client
    clients.note_user(client.store, user_id)
    code = grants.issue_code(
        client.store,
        user_id,
        client.client_id,
        target.redirect_uri,
        target.scope,
        target.code_challenge,
    )
    return target.callback(code=code)
