"""The partner SOAP login, raw and through simple-salesforce's ``SalesforceLogin``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests
from simple_salesforce import SalesforceAuthenticationFailed, SalesforceLogin

from mock_salesforce.pytest_plugin import OrgHandle

PARTNER = "urn:partner.soap.sforce.com"


def envelope(username: str, password: str, prefix: str = "urn") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:{prefix}="{PARTNER}"><env:Body><{prefix}:login>'
        f"<{prefix}:username>{username}</{prefix}:username>"
        f"<{prefix}:password>{password}</{prefix}:password>"
        f"</{prefix}:login></env:Body></env:Envelope>"
    )


def soap(sf_org: OrgHandle, body: str) -> requests.Response:
    return requests.post(
        f"{sf_org.base_url}/services/Soap/u/59.0",
        data=body,
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "login"},
        timeout=10,
    )


@pytest.mark.parametrize("prefix", ["urn", "p"])
def test_soap_login_answers_login_response(sf_org: OrgHandle, prefix: str) -> None:
    response = soap(sf_org, envelope("user@test.org", "user-pass-1USERTOK", prefix))
    assert response.status_code == 200, response.text
    result = ET.fromstring(response.content).find(f".//{{{PARTNER}}}result")
    assert result is not None, response.text
    found = {child.tag.split("}")[1]: child for child in result}
    assert found["serverUrl"].text == (
        f"{sf_org.base_url}/services/Soap/u/59.0/{sf_org.id[:15]}"
    ), response.text
    assert found["userId"].text == sf_org.users["user@test.org"]
    assert found["passwordExpired"].text == "false" and found["sandbox"].text == "false"
    info = {child.tag.split("}")[1]: child.text for child in found["userInfo"]}
    assert info["organizationId"] == sf_org.id and info["userName"] == "user@test.org", info
    session_id = found["sessionId"].text or ""
    limits = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {session_id}"},
        timeout=10,
    )
    assert limits.status_code == 200, limits.text


@pytest.mark.parametrize(
    "username,password",
    [("user@test.org", "wrong"), ("ghost@test.org", "x"), ("user@test.org", "")],
)
def test_soap_login_failure_is_a_500_invalid_login_fault(
    sf_org: OrgHandle, username: str, password: str
) -> None:
    response = soap(sf_org, envelope(username, password))
    assert response.status_code == 500, response.text
    assert "<faultcode>sf:INVALID_LOGIN</faultcode>" in response.text, response.text
    assert (
        "INVALID_LOGIN: Invalid username, password, security token; or user locked out."
        in response.text
    )


def test_soap_login_frozen_user_is_invalid_login(sf_org: OrgHandle) -> None:
    sf_org.control.update_user("user@test.org", frozen=True)
    assert soap(sf_org, envelope("user@test.org", "user-pass-1USERTOK")).status_code == 500


def test_soap_login_malformed_envelope_is_a_fault(sf_org: OrgHandle) -> None:
    assert soap(sf_org, "<not-xml").status_code == 500


def test_simple_salesforce_soap_login_gets_session_and_instance(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    session_id, instance = SalesforceLogin(
        username="user@test.org",
        password="user-pass-1",
        security_token="USERTOK",
        session=sf_inprocess,
        domain="login",
    )
    assert session_id.startswith(sf_org.id[:15] + "!"), session_id
    assert instance == sf_org.base_url.split("://", 1)[1], instance


def test_simple_salesforce_soap_login_failure_raises(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    with pytest.raises(SalesforceAuthenticationFailed, match="INVALID_LOGIN"):
        SalesforceLogin(
            username="user@test.org",
            password="nope",
            security_token="USERTOK",
            session=sf_inprocess,
            domain="login",
        )


def test_soap_login_answers_the_whole_user_info_in_wsdl_order(sf_org: OrgHandle) -> None:
    sf_org.control.update_user("user@test.org", time_zone="Europe/Paris")
    response = soap(sf_org, envelope("user@test.org", "user-pass-1USERTOK"))
    assert response.status_code == 200, response.text
    info_element = ET.fromstring(response.content).find(f".//{{{PARTNER}}}userInfo")
    assert info_element is not None, response.text
    names = [child.tag.split("}")[1] for child in info_element]
    assert names == sorted(names), f"not in the WSDL's (code point) order: {names}"
    info = {child.tag.split("}")[1]: child for child in info_element}
    assert info["sessionSecondsValid"].text == "7200", response.text
    assert info["userTimeZone"].text == "Europe/Paris", response.text
    assert info["userFullName"].text and info["userEmail"].text, response.text
    assert info["profileId"].text and info["profileId"].text.startswith("00e"), response.text
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    assert info["roleId"].get(nil) == "true", response.text
    text = response.text
    assert text.index("<userId>") < text.index("<userInfo>"), "jsforce reads the first <userId>"
