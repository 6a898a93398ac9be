"""What the core sent to Salesforce over HTTP, recorded on its own ``requests`` session.

The mock's journal says who Salesforce took a call to be; this says what went on the wire:
the headers of each request (``Sforce-Auto-Assign``) and which tokens it carried, so a refused
refresh that Salesforce cannot attribute to anyone still counts as a call made as that user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import requests


@dataclass(frozen=True)
class SentRequest:
    """A request the core sent to Salesforce, with its headers and body as sent."""

    method: str
    url: str
    headers: dict[str, str]
    body: str = ""

    def carries(self, token: str) -> bool:
        return token in self.headers.get("Authorization", "") or quote_plus(token) in self.body


@dataclass
class Wire:
    """Every request of one ``requests.Session``, and the user each issued token belongs to."""

    sent: list[SentRequest] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)

    def attach(self, http: requests.Session) -> None:
        http.hooks["response"].append(self._remember)

    def _remember(self, response: requests.Response, **_: Any) -> None:
        request = response.request
        headers = {k: str(v) for k, v in request.headers.items()}
        raw = request.body
        body = raw.decode() if isinstance(raw, bytes) else str(raw or "")
        self.sent.append(SentRequest(str(request.method), str(request.url), headers, body))
        if "/services/oauth2/token" in str(request.url) and response.ok:
            answer = response.json()
            user_id = str(answer.get("id", "")).rsplit("/", 1)[-1]
            for key in ("access_token", "refresh_token"):
                if answer.get(key):
                    self.issued[str(answer[key])] = user_id

    def with_tokens_of(self, user_id: str) -> list[SentRequest]:
        """Requests that carried an access or refresh token issued to that user."""
        tokens = [t for t, owner in self.issued.items() if owner[:15] == user_id[:15]]
        return [r for r in self.sent if any(r.carries(t) for t in tokens)]

    def writes_of(self, sobject: str) -> list[SentRequest]:
        """Creates and updates of one object (POST and PATCH under /sobjects/<sobject>/)."""
        return [
            r
            for r in self.sent
            if r.method in ("POST", "PATCH") and f"/sobjects/{sobject}/" in f"{r.url}/"
        ]
