"""A member's browser on Salesforce's authorize pages, driven with ``requests``.

It follows the real pages (login form, consent form) the way a person would, stops at the
redirect to the sales app's callback and hands back what the callback would receive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.text: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attr.get("action", ""), attr.get("method", "get").lower()))
        elif tag == "input" and self.forms:
            kind = attr.get("type", "text").lower()
            name = attr.get("name", "")
            if kind == "submit":
                self.forms[-1].buttons.append((name, attr.get("value", ""), attr.get("value", "")))
            elif name:
                self.forms[-1].inputs.append((name, kind))
                if kind in ("hidden", "checkbox") or attr.get("value"):
                    self.forms[-1].fields[name] = attr.get("value", "")
        elif tag == "button" and self.forms:
            self._button = [attr.get("name", ""), attr.get("value", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            name, value, label = self._button
            self.forms[-1].buttons.append((name, value, label.strip()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button[2] += data
        if data.strip():
            self.text.append(data.strip())


@dataclass
class AuthorizeOutcome:
    """Where the browser ended: at the callback (with its query) or on a Salesforce page."""

    callback: dict[str, str] | None
    page_text: str
    status: int

    @property
    def code(self) -> str | None:
        return (self.callback or {}).get("code")


class Browser:
    """Logs in as a Salesforce user and answers the consent page."""

    def __init__(self, http: requests.Session, callback_url: str) -> None:
        self.http = http
        self.callback_url = callback_url

    def authorize(
        self, url: str, username: str, password: str, allow: bool = True
    ) -> AuthorizeOutcome:
        response = self.http.get(url, allow_redirects=False, timeout=30)
        for _ in range(6):
            if response.status_code in (301, 302, 303, 307):
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(self.callback_url):
                    query = parse_qs(urlsplit(location).query)
                    return AuthorizeOutcome(
                        {k: v[0] for k, v in query.items()}, "", response.status_code
                    )
                response = self.http.get(location, allow_redirects=False, timeout=30)
                continue
            page = _FormParser()
            page.feed(response.text)
            form = page.forms[0] if page.forms else None
            if form is None:
                return AuthorizeOutcome(None, " ".join(page.text), response.status_code)
            response = self._submit(response.url, form, username, password, allow)
        raise AssertionError(
            f"the authorize flow did not end: {response.status_code} {response.text[:300]}"
        )

    def _submit(
        self, page_url: str, form: Form, username: str, password: str, allow: bool
    ) -> requests.Response:
        data = dict(form.fields)
        for name, kind in form.inputs:
            if kind == "password":
                data[name] = password
            elif kind in ("text", "email") and not data.get(name):
                data[name] = username
        if form.buttons:
            wanted = "allow" if allow else "deny"
            chosen = next(
                (b for b in form.buttons if wanted in (b[1] + b[2]).lower()), form.buttons[0]
            )
            if chosen[0]:
                data[chosen[0]] = chosen[1]
        target = urljoin(page_url, form.action or page_url)
        if form.method == "post":
            return self.http.post(target, data=data, allow_redirects=False, timeout=30)
        return self.http.get(target, params=data, allow_redirects=False, timeout=30)
