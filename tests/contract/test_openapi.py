"""``/_mock/openapi.json`` is built from the code that checks the control plane's input, and
docs/control-plane.md documents exactly its routes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOC_PAGES = (DOCS / "control-plane.md", DOCS / "bulk.md")  # bulk.md: the bulk knobs
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/_mock[^`\s]*)`")
WRONG = {"string": 12345, "integer": "text", "number": "text", "boolean": "text"}
WRONG |= {"array": "text", "object": "text"}


@pytest.fixture(scope="module")
def described(mock_salesforce_server: Any) -> dict[str, Any]:
    answer = requests.get(f"{mock_salesforce_server.url}/_mock/openapi.json", timeout=10)
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}


def test_the_document_is_openapi_3_1_with_the_package_version(described: dict[str, Any]) -> None:
    from mock_salesforce import __version__

    assert described["openapi"] == "3.1.0", described["openapi"]
    assert described["info"]["version"] == __version__, described["info"]
    journal = described["paths"]["/_mock/orgs/{org_id}/journal"]["get"]
    names = {p["name"] for p in journal["parameters"]}
    assert {"org_id", "since_seq", "wait", "bodies", "user"} <= names, names


def test_every_documented_route_exists_and_every_route_is_documented(
    described: dict[str, Any],
) -> None:
    documented = {r for page in DOC_PAGES for r in ROUTE.findall(page.read_text("utf-8"))}
    served = operations(described)
    assert documented - served == set(), f"documented but not served: {documented - served}"
    assert served - documented == set(), f"served but not documented: {served - documented}"


def path_values(org: OrgHandle) -> dict[str, str]:
    org.control.create_permission_set("Sync")
    return {
        "org_id": org.id,
        "user": "user@test.org",
        "profile": "Standard User",
        "name": "Sync",
        "client_id": org.app["client_id"],
        "sobject": "Contact",
        "fault_id": "none",
        "grant_id": "none",
    }


def test_each_declared_body_field_is_checked_as_described(
    described: dict[str, Any], sf_org: OrgHandle
) -> None:
    values = path_values(sf_org)
    checked = 0
    for path, ops in described["paths"].items():
        for method, operation in ops.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            url = sf_org.base_url + path.format(**values)
            for name, spec in schema["properties"].items():
                answer = requests.request(method, url, json={name: WRONG[spec["type"]]}, timeout=10)
                assert answer.status_code == 400, (method, path, name, answer.text)
                assert f"'{name}'" in answer.json()["error"], (method, path, name, answer.text)
                checked += 1
    assert checked >= 40, checked
