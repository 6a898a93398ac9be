"""Wiring the real adapter to a base URL and a requests.Session with build_core()."""

from __future__ import annotations

import json
from typing import Any

import requests
from cryptography.fernet import Fernet
from requests.adapters import BaseAdapter

from integration.config import CoreSettings, build_core
from integration.domain.model import ConnectionStatus, MemberRole
from integration.salesforce.oauth import OAuthSettings

MOCK = "http://127.0.0.1:9"
INSTANCE = "http://127.0.0.1:9/acme"
ORG = "00DORG000000001AAA"
USER = "005USR000000001AAA"


class MockRoutes(BaseAdapter):
    """A few canned Salesforce answers keyed by method and path, in process."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        self.seen.append(f"{request.method} {url.split('?')[0]}")
        if url.endswith("/composite"):
            status, body = 200, self._composite(json.loads(request.body or "{}"))
        else:
            status, body = self._answer(request.method or "", url.split("?")[0])
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.request = request
        return response

    def _composite(self, request: dict[str, Any]) -> dict[str, Any]:
        """Each subrequest answered as the call alone; its URL is seen as "(composite) ..."."""
        answers = []
        for sub in request["compositeRequest"]:
            self.seen.append(f"(composite) {sub['method']} {sub['url'].split('?')[0]}")
            status, body = self._answer(sub["method"], sub["url"].split("?")[0])
            answers.append(
                {"body": body, "httpStatusCode": status, "referenceId": sub["referenceId"]}
            )
        return {"compositeResponse": answers}

    def _answer(self, method: str, url: str) -> tuple[int, Any]:
        if url.endswith("/services/oauth2/token"):
            return 200, {
                "access_token": "00D!t",
                "instance_url": INSTANCE,
                "id": f"{MOCK}/id/{ORG}/{USER}",
                "token_type": "Bearer",
            }
        if "/id/" in url:
            return 200, {"organization_id": ORG, "user_id": USER, "username": "int@acme"}
        if url.endswith("/describe"):
            sobject = url.split("/")[-2]
            fields = [
                {"name": n, "createable": True, "updateable": True, "externalId": n == "App_Id__c"}
                for n in (
                    "FirstName",
                    "LastName",
                    "Email",
                    "Title",
                    "Phone",
                    "Company",
                    "Name",
                    "Website",
                    "AccountId",
                    "OwnerId",
                    "App_Id__c",
                    "Subject",
                    "Description",
                    "WhoId",
                    "WhatId",
                    "Status",
                    "TaskSubtype",
                    "ActivityDate",
                    "StartDateTime",
                    "EndDateTime",
                )
            ]
            return 200, {
                "name": sobject,
                "queryable": True,
                "createable": True,
                "updateable": True,
                "fields": fields,
            }
        if "/query" in url:
            return 200, {
                "totalSize": 1,
                "done": True,
                "records": [
                    {
                        "PermissionSetId": "0PS1",
                        "PermissionsApiEnabled": True,
                        "PermissionsViewAllData": True,
                    }
                ],
            }
        return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]

    def close(self) -> None:
        return None


def test_build_core_uses_given_session_login_host_and_instance_url() -> None:
    routes = MockRoutes()
    http = requests.Session()
    http.mount("http://", routes)
    settings = CoreSettings(
        OAuthSettings(login_host=MOCK, client_id="cid", client_secret="s", token_host=INSTANCE),
        Fernet.generate_key().decode(),
    )
    core = build_core(settings, http)
    team = core.store.create_team("Acme")
    admin = core.store.add_member(team.team_id, "Ada", "ada@acme.test", MemberRole.ADMIN)
    outcome = core.team_sync.connect_client_credentials(admin.member_id)
    assert outcome.report.status is ConnectionStatus.CONNECTED, outcome.report.lines
    assert routes.seen[0] == f"POST {INSTANCE}/services/oauth2/token", routes.seen
    assert f"POST {INSTANCE}/services/data/v59.0/composite" in routes.seen, routes.seen
    assert "(composite) GET /services/data/v59.0/sobjects/Contact/describe" in routes.seen
    assert core.store.credential(outcome.credential_id).instance_url == INSTANCE
