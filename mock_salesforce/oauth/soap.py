"""The partner SOAP ``login()`` call, as simple-salesforce's ``SalesforceLogin`` uses it:
``POST /services/Soap/u/<version>`` with a partner envelope, ``sessionId`` and ``serverUrl``
back; failures as an HTTP 500 SOAP fault with ``INVALID_LOGIN``.

``logout()`` on the same endpoint (what jsforce's ``Connection.logout()`` sends for a SOAP
session) ends the session named in the ``SessionHeader``; a dead one is an
``INVALID_SESSION_ID`` fault.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from flask import Response, g, request

from .. import pipeline
from ..errors import OAuthError, SalesforceError
from ..pipeline.sessions import (
    issue_access_token,
    lookup_session,
    revoke_token_hash,
    session_timeout,
)
from ..pipeline.state import instance_url, registry
from ..store import OrgStore
from . import bp, clients, credentials

PARTNER_NS = "urn:partner.soap.sforce.com"
ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XML_TYPE = "text/xml;charset=UTF-8"
INVALID_LOGIN = "Invalid username, password, security token; or user locked out."


INVALID_SESSION = "Invalid Session ID found in SessionHeader: Illegal Session"


class SoapLoginFault(Exception):
    """The login was refused; answered as Salesforce's LoginFault."""

    code, message, fault_type = "INVALID_LOGIN", INVALID_LOGIN, "LoginFault"


class SoapSessionFault(SoapLoginFault):
    """The SessionHeader names no live session; Salesforce's UnexpectedErrorFault."""

    code, message, fault_type = "INVALID_SESSION_ID", INVALID_SESSION, "UnexpectedErrorFault"


@bp.errorhandler(SoapLoginFault)
def _fault(exc: SoapLoginFault) -> Response:
    g.sf_error_code = exc.code
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ENVELOPE_NS}" '
        'xmlns:sf="urn:fault.partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>sf:{exc.code}</faultcode><faultstring>{exc.code}: {exc.message}"
        f'</faultstring><detail><sf:{exc.fault_type} xsi:type="sf:{exc.fault_type}">'
        f"<sf:exceptionCode>{exc.code}</sf:exceptionCode>"
        f"<sf:exceptionMessage>{exc.message}</sf:exceptionMessage></sf:{exc.fault_type}>"
        "</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, status=500, content_type=XML_TYPE)


def parse_envelope(envelope: bytes) -> ET.Element:
    try:
        return ET.fromstring(envelope)
    except (ET.ParseError, LookupError, ValueError) as exc:
        # LookupError: an XML declaration naming an encoding Python does not know.
        raise SoapLoginFault() from exc


def login_credentials(root: ET.Element) -> tuple[str, str]:
    """Username and password of a partner ``login`` envelope (namespace-aware)."""
    login = root.find(f"{{{ENVELOPE_NS}}}Body/{{{PARTNER_NS}}}login")
    if login is None:
        raise SoapLoginFault()
    username = login.findtext(f"{{{PARTNER_NS}}}username") or ""
    password = login.findtext(f"{{{PARTNER_NS}}}password") or ""
    return username.strip(), password


def _org_of_user(username: str) -> OrgStore:
    for store in registry().accepting_logins():
        if credentials.user_id_for(store, username) is not None:
            return store
    raise SoapLoginFault()


@bp.post("/services/Soap/u/<version>")
def soap_login(version: str) -> Response:
    pipeline.begin("soap")
    root = parse_envelope(request.get_data())
    if root.find(f"{{{ENVELOPE_NS}}}Body/{{{PARTNER_NS}}}logout") is not None:
        return soap_logout(root)
    username, password = login_credentials(root)
    store = _org_of_user(username)
    g.sf_org = store
    pipeline.note(operation="login")
    try:
        user = credentials.log_in(store, username, password)
    except OAuthError as exc:
        raise SoapLoginFault() from exc
    clients.note_user(store, user.user_id)
    pipeline.check_faults(store)
    session_id = issue_access_token(store, user.user_id, None, None, "api web full")
    return Response(
        login_response(store, user.user_id, session_id, version), 200, content_type=XML_TYPE
    )


def soap_logout(root: ET.Element) -> Response:
    """``logout()``: end the session of the SessionHeader (reference: partner API, logout)."""
    pipeline.note(operation="logout")
    header = f"{{{ENVELOPE_NS}}}Header/{{{PARTNER_NS}}}SessionHeader/{{{PARTNER_NS}}}sessionId"
    token = (root.findtext(header) or "").strip()
    try:
        session = lookup_session(registry(), token, touch=False, require_api=False)
    except SalesforceError as exc:
        raise SoapSessionFault() from exc
    g.sf_org = session.org
    clients.note_user(session.org, session.user_id)
    revoke_token_hash(session.org, session.token_hash)
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ENVELOPE_NS}" '
        f'xmlns="{PARTNER_NS}"><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>',
        200,
        content_type=XML_TYPE,
    )


def login_response(store: OrgStore, user_id: str, session_id: str, version: str) -> str:
    """The whole ``loginResponse`` of the partner WSDL (``LoginResult`` and ``GetUserInfoResult``).

    Elements are unprefixed, in the default namespace and in the WSDL's order: clients read them
    by string matching (jsforce takes the first ``<userId>``, aiosalesforce regexes
    ``<sessionSecondsValid>``; shared reference part 2 §5.2).
    """
    base = instance_url(store)
    org15 = store.org_id[:15]
    sandbox = store.query('SELECT IsSandbox FROM "Organization"')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ENVELOPE_NS}" '
        f'xmlns="{PARTNER_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><loginResponse><result>"
        f"<metadataServerUrl>{base}/services/Soap/m/{escape(version)}/{org15}</metadataServerUrl>"
        "<passwordExpired>false</passwordExpired>"
        f"<sandbox>{'true' if sandbox and sandbox[0]['IsSandbox'] else 'false'}</sandbox>"
        f"<serverUrl>{base}/services/Soap/u/{escape(version)}/{org15}</serverUrl>"
        f"<sessionId>{session_id}</sessionId><userId>{user_id}</userId>"
        f"<userInfo>{user_info(store, user_id)}</userInfo>"
        "</result></loginResponse></soapenv:Body></soapenv:Envelope>"
    )


NIL = None  # an element written as <name xsi:nil="true"/>


def user_info(store: OrgStore, user_id: str) -> str:
    """``GetUserInfoResult``: the user, their org and the session's lifetime, in WSDL order."""
    user = store.query('SELECT * FROM "User" WHERE Id = ?', (user_id,))[0]
    orgs = store.query('SELECT Name FROM "Organization"')
    elements: list[tuple[str, object]] = [
        ("accessibilityMode", "false"),
        ("chatterExternal", "false"),
        ("currencySymbol", "$"),
        ("orgAttachmentFileSizeLimit", 26214400),
        ("orgDefaultCurrencyIsoCode", "USD"),
        ("orgDefaultCurrencyLocale", "en_US"),
        ("orgDisallowHtmlAttachments", "false"),
        ("orgHasPersonAccounts", "false"),
        ("organizationId", store.org_id),
        ("organizationMultiCurrency", "false"),
        ("organizationName", orgs[0]["Name"] if orgs else ""),
        ("profileId", user["ProfileId"]),
        ("roleId", NIL),
        ("sessionSecondsValid", int(session_timeout(store).total_seconds())),
        ("userDefaultCurrencyIsoCode", NIL),
        ("userEmail", user["Email"]),
        ("userFullName", user["Name"]),
        ("userId", user_id),
        ("userLanguage", user["LanguageLocaleKey"] or "en_US"),
        ("userLocale", user["LocaleSidKey"] or "en_US"),
        ("userName", user["Username"]),
        ("userTimeZone", user["TimeZoneSidKey"] or "America/Los_Angeles"),
        ("userType", user["UserType"] or "Standard"),
        ("userUiSkin", "Theme3"),
    ]
    return "".join(
        f'<{name} xsi:nil="true"/>' if value is NIL else f"<{name}>{escape(str(value))}</{name}>"
        for name, value in elements
    )
