"""A seeded generator of odd requests over every route family of the mock.

Each family builds a request from a ``random.Random`` and the fuzz target (org id, a token, a
few record ids): mostly plausible shapes with one thing wrong (a value of the wrong type, a
number of 5,000 digits, a string with a lone surrogate, JSON nested 1,000 deep, a path segment
of junk), sometimes pure garbage. The same seed gives the same requests.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

V = "/services/data/v59.0"
OBJECTS = ["Account", "Contact", "Lead", "Opportunity", "Task", "Event", "User", "Case"]
FIELDS = [
    "Id",
    "Name",
    "LastName",
    "FirstName",
    "Company",
    "Email",
    "Phone",
    "NumberOfEmployees",
    "AnnualRevenue",
    "OwnerId",
    "AccountId",
    "WhoId",
    "WhatId",
    "CloseDate",
    "StageName",
    "Amount",
    "Subject",
    "ActivityDate",
    "ActivityDateTime",
    "DurationInMinutes",
    "IsDeleted",
    "CreatedDate",
    "LastModifiedDate",
    "Status",
    "attributes",
]
ODD_STRINGS = [
    "",
    " ",
    "null",
    "x" * 300,
    "é😀中",
    "'; DROP TABLE Account; --",
    "../../etc/passwd",
    "%00",
    "\u0000",
    "<script>alert(1)</script>",
    "001000000000001AAA",
    "001000000000001",
    "003ZZZZZZZZZZZZZZZ",
    "2024-02-30T25:61:00Z",
    "2024-01-01",
    "true",
    "-0",
    "1e309",
]


# Enough for a create to succeed, so one odd field is judged on a record that would be saved.
VALID = {
    "Account": '"Name":"Acme"',
    "Contact": '"LastName":"Smith"',
    "Lead": '"LastName":"L","Company":"C"',
    "Opportunity": '"Name":"O","StageName":"Prospecting","CloseDate":"2024-01-01"',
    "Task": '"Subject":"Call"',
    "Event": '"Subject":"E","DurationInMinutes":30,"ActivityDateTime":"2024-01-01T10:00:00Z"',
    "Case": '"Subject":"S"',
    "User": '"LastName":"U"',
}


@dataclass
class Target:
    """What the fuzzer aims at: the org, a live token, known ids, the app's client id."""

    org_id: str
    token: str
    client_id: str
    record_ids: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


@dataclass
class FuzzRequest:
    family: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    expects_json: bool = True

    def describe(self) -> str:
        body = (self.body or b"")[:160]
        secret = ("Authorization", "X-SFDC-Session")
        headers = {k: "<token>" if k in secret else v for k, v in self.headers.items()}
        return f"{self.method} {self.path[:200]} headers={headers} body={body!r}"


# -- values ------------------------------------------------------------------------------------
def scalar_text(rng: random.Random) -> str:
    """One JSON scalar as text, sometimes one Salesforce (or JSON) refuses."""
    pick = rng.randrange(14)
    if pick == 0:
        return str(rng.randint(-(2**70), 2**70))
    if pick == 1:
        return "9" * rng.choice((19, 40, 400, 5000))
    if pick == 2:
        return rng.choice(("1e308", "1e400", "-1e400", "0.1", "-0.0", "3.14159", "1E-400"))
    if pick == 3:
        return rng.choice(("NaN", "Infinity", "-Infinity", "undefined", "tru", "nul"))
    if pick == 4:
        return rng.choice(('"\\ud800"', '"a\\udfffb"', '"\\u0000"', '"\\uZZZZ"', '"\\x41"'))
    if pick == 5:
        return json.dumps("x" * rng.choice((256, 4000, 40_000)))
    if pick in (6, 7):
        return json.dumps(rng.choice(ODD_STRINGS))
    if pick == 8:
        return rng.choice(("true", "false", "null"))
    if pick == 9:
        return json.dumps(rng.choice(FIELDS))
    return json.dumps(rng.choice([*ODD_STRINGS, "Acme", "Smith", "a@b.co", "Prospecting"]))


def value_text(rng: random.Random, depth: int = 0) -> str:
    """A JSON value as text: scalars, small arrays and objects, now and then a deep nest."""
    roll = rng.random()
    if roll < 0.02:
        n = rng.choice((99, 101, 500, 1000, 3000))
        opener, closer = rng.choice((("[", "]"), ('{"a":', "}")))
        return opener * n + "1" + closer * n
    if depth > 3 or roll < 0.6:
        return scalar_text(rng)
    if roll < 0.8:
        return "[" + ",".join(value_text(rng, depth + 1) for _ in range(rng.randrange(4))) + "]"
    return object_text(rng, depth + 1)


def object_text(rng: random.Random, depth: int = 0, names: list[str] | None = None) -> str:
    keys = names or FIELDS
    parts = []
    for _ in range(rng.randrange(1, 6)):
        key = rng.choice(keys) if rng.random() < 0.8 else rng.choice(ODD_STRINGS)
        parts.append(f"{json.dumps(key)}:{value_text(rng, depth)}")
    return "{" + ",".join(parts) + "}"


def record_text(rng: random.Random, obj: str) -> str:
    """A record body: the fields a create needs plus, mostly, one or two odd ones."""
    if obj not in VALID or rng.random() < 0.3:
        return object_text(rng)
    extra = [f"{json.dumps(rng.choice(FIELDS))}:{value_text(rng)}" for _ in range(rng.randrange(3))]
    return "{" + ",".join([VALID[obj], *extra]) + "}"


def body_bytes(rng: random.Random, text: str) -> bytes:
    """The body, sometimes truncated, doubled, or garbage."""
    roll = rng.random()
    if roll < 0.05:
        return text[: rng.randrange(len(text) + 1)].encode("utf-8", "surrogatepass")
    if roll < 0.08:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if roll < 0.10:
        return b""
    return text.encode("utf-8", "surrogatepass")


def segment(rng: random.Random, known: list[str]) -> str:
    """A path segment: a known value, or junk (quoted so it stays one segment)."""
    if known and rng.random() < 0.6:
        return rng.choice(known)
    junk = rng.choice([*ODD_STRINGS, "9" * 5000, "..", "%2F", "a/b", "0" * 18])
    return quote(junk, safe="") or "x"


def auth(rng: random.Random, target: Target) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.85:
        return {"Authorization": f"Bearer {target.token}"}
    if roll < 0.9:
        return {}
    return {
        "Authorization": rng.choice(("Bearer ", "Bearer x", "Basic Zm9vOmJhcg==", "Bearer 00D!"))
    }


def header_value(text: str) -> str:
    """``text`` as raw header bytes (UTF-8 read as Latin-1), without the characters a client
    refuses to send (NUL, CR, LF)."""
    raw = text.encode("utf-8").decode("latin-1")
    return "".join(c for c in raw if c not in "\x00\r\n").strip()


def json_headers(rng: random.Random, target: Target) -> dict[str, str]:
    headers = auth(rng, target)
    headers["Content-Type"] = (
        "application/json"
        if rng.random() < 0.9
        else rng.choice(("text/plain", "application/xml", "application/json; charset=latin-1"))
    )
    if rng.random() < 0.05:
        headers["Sforce-Query-Options"] = rng.choice(("batchSize=5", "batchSize=" + "9" * 50))
    if rng.random() < 0.05:
        headers["If-Modified-Since"] = header_value(rng.choice(ODD_STRINGS))
    return headers


# -- families ----------------------------------------------------------------------------------
def sobjects(rng: random.Random, t: Target) -> FuzzRequest:
    obj = rng.choice(OBJECTS) if rng.random() < 0.85 else segment(rng, [])
    method = rng.choice(("GET", "POST", "POST", "PATCH", "DELETE", "PUT", "HEAD"))
    if method == "POST" and rng.random() < 0.7:
        body = body_bytes(rng, record_text(rng, obj))
        return FuzzRequest("sobjects", method, f"{V}/sobjects/{obj}", json_headers(rng, t), body)
    tail = rng.choice(
        ("", "/describe", f"/{segment(rng, t.record_ids)}", "/Id/" + segment(rng, t.record_ids))
    )
    if rng.random() < 0.05:
        tail = f"/updated?start={segment(rng, [])}&end={segment(rng, [])}"
    body = body_bytes(rng, record_text(rng, obj)) if method in ("POST", "PATCH", "PUT") else None
    return FuzzRequest("sobjects", method, f"{V}/sobjects/{obj}{tail}", json_headers(rng, t), body)


def soql(rng: random.Random) -> str:
    obj = rng.choice(OBJECTS)
    fields = ", ".join(rng.sample(FIELDS[:-1], rng.randrange(1, 5)))
    values = ("'a'", "5", "null", "TODAY", "(1,2)", "2024-01-01", "LAST_N_DAYS:" + "9" * 20)
    operators = ("=", "!=", "<", "LIKE", "IN", "INCLUDES")
    conds = [
        f"{rng.choice(FIELDS)} {rng.choice(operators)} {rng.choice(values)}"
        for _ in range(rng.randrange(0, 4))
    ]
    where = " WHERE " + rng.choice((" AND ", " OR ")).join(conds) if conds else ""
    text = f"SELECT {fields} FROM {obj}{where}"
    if rng.random() < 0.2:
        text += rng.choice(
            (" LIMIT " + "9" * rng.randrange(1, 30), " OFFSET 5000", " ORDER BY Name", " GROUP BY")
        )
    roll = rng.random()
    if roll < 0.1:
        text = "SELECT Id FROM Account WHERE " + "NOT " * rng.randrange(10, 60) + "Name = 'x'"
    elif roll < 0.15:
        text = "SELECT Id FROM Account WHERE " + " OR ".join(
            ["Name='x'"] * rng.randrange(100, 1200)
        )
    elif roll < 0.2:
        text = (
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact "
            "WHERE Id IN (SELECT WhoId FROM Task))"
        )
    elif roll < 0.3:
        cut = rng.randrange(len(text) + 1)
        text = text[:cut] + rng.choice(("(", ")", "'", "\\", "%", "\u0000", "😀")) + text[cut:]
    return text


def query(rng: random.Random, t: Target) -> FuzzRequest:
    kind = rng.choice(("query", "queryAll"))
    if rng.random() < 0.15:
        locator = rng.choice(("01gxx0000000001AAA-", "01g", "")) + segment(
            rng, ["2000", "9" * 5000]
        )
        path = f"{V}/{kind}/{locator}"
    else:
        path = f"{V}/{kind}?q={quote(soql(rng))}"
    return FuzzRequest("query", "GET", path, json_headers(rng, t))


def subrequest(rng: random.Random, t: Target, n: int) -> str:
    url = rng.choice(
        (
            f"{V}/sobjects/{rng.choice(OBJECTS)}",
            f"{V}/sobjects/Account/@{{ref{max(n - 1, 0)}.id}}",
            f"{V}/query?q=SELECT+Id+FROM+Account",
            f"{V}/sobjects/Account/@{{ref0.records[{rng.choice(('0', '9' * 4400, '-1'))}].Id}}",
            f"/services/data/v{'9' * rng.choice((2, 40, 4400))}.0/limits",
            segment(rng, []),
        )
    )
    parts = [
        f'"method":{json.dumps(rng.choice(("GET", "POST", "PATCH", "DELETE", "TRACE")))}',
        f'"url":{json.dumps(url)}',
        f'"referenceId":{json.dumps("ref" + str(n)) if rng.random() < 0.9 else scalar_text(rng)}',
    ]
    if rng.random() < 0.6:
        parts.append(f'"body":{record_text(rng, rng.choice(OBJECTS))}')
    if rng.random() < 0.1:
        parts.append(f'"httpHeaders":{value_text(rng)}')
    return "{" + ",".join(parts) + "}"


def composite(rng: random.Random, t: Target) -> FuzzRequest:
    subs = ",".join(subrequest(rng, t, n) for n in range(rng.randrange(0, 6)))
    text = f'{{"allOrNone":{scalar_text(rng)},"compositeRequest":[{subs}]}}'
    if rng.random() < 0.1:
        text = value_text(rng)
    return FuzzRequest(
        "composite", "POST", f"{V}/composite", json_headers(rng, t), body_bytes(rng, text)
    )


def collections(rng: random.Random, t: Target) -> FuzzRequest:
    method = rng.choice(("POST", "PATCH", "DELETE", "GET"))
    ids = ",".join(rng.choice(t.record_ids + ODD_STRINGS[:3]) for _ in range(rng.randrange(1, 4)))
    if method in ("DELETE", "GET"):
        obj = f"/{rng.choice(OBJECTS)}" if method == "GET" else ""
        extra = f"&fields={quote(rng.choice(FIELDS))}" if method == "GET" else ""
        flag = segment(rng, ["true"])
        path = f"{V}/composite/sobjects{obj}?ids={quote(ids)}{extra}&allOrNone={flag}"
        return FuzzRequest("collections", method, path, json_headers(rng, t))
    records = ",".join(
        f'{{"attributes":{{"type":{json.dumps(obj)}}},{record_text(rng, obj)[1:]}'
        for obj in (rng.choice(OBJECTS) for _ in range(rng.randrange(0, 4)))
    )
    text = f'{{"allOrNone":{scalar_text(rng)},"records":[{records}]}}'
    path = f"{V}/composite/sobjects"
    if rng.random() < 0.2:
        path += f"/{rng.choice(OBJECTS)}"
        text = f'{{"ids":{value_text(rng)},"fields":{value_text(rng)}}}'
    return FuzzRequest("collections", method, path, json_headers(rng, t), body_bytes(rng, text))


def rest_misc(rng: random.Random, t: Target) -> FuzzRequest:
    path = rng.choice(
        (
            "/services/data",
            f"{V}",
            f"{V}/limits",
            f"{V}/sobjects",
            f"/services/data/v{segment(rng, ['20.0', '66.0', '99.0'])}/limits",
            f"{V}//sobjects//Account",
            "//services//data",
            f"/services/data/{segment(rng, [])}",
            f"/{segment(rng, [])}",
        )
    )
    method = rng.choice(("GET", "GET", "POST", "OPTIONS", "DELETE"))
    return FuzzRequest("rest_misc", method, path, json_headers(rng, t))


def form(rng: random.Random, pairs: dict[str, str]) -> bytes:
    chosen = {k: v for k, v in pairs.items() if rng.random() < 0.8}
    return "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in chosen.items()).encode()


def oauth(rng: random.Random, t: Target) -> FuzzRequest:
    junk = rng.choice([*ODD_STRINGS, "9" * 5000])
    grant = rng.choice(
        (
            "password",
            "authorization_code",
            "refresh_token",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            junk,
        )
    )
    pairs = {
        "grant_type": grant,
        "client_id": t.client_id if rng.random() < 0.7 else junk,
        "client_secret": junk,
        "username": rng.choice([*t.users, junk]),
        "password": junk,
        "code": "aPrx" + t.org_id[:15] + junk,
        "refresh_token": "5Aep861" + t.org_id[:15] + junk,
        "assertion": rng.choice(("a.b.c", "eyJhbGciOiJSUzI1NiJ9." + junk + ".x", junk)),
        "redirect_uri": junk,
        "code_verifier": junk,
        "token": junk,
    }
    endpoint = rng.choice(
        ("token", "token", "token", "revoke", "introspect", "userinfo", "authorize")
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if endpoint == "userinfo":
        return FuzzRequest("oauth", "GET", "/services/oauth2/userinfo", auth(rng, t))
    if endpoint == "authorize":
        query = form(
            rng,
            {
                "response_type": rng.choice(("code", "token", junk)),
                "client_id": t.client_id,
                "redirect_uri": junk,
                "state": junk,
                "code_challenge": junk,
                "prompt": junk,
            },
        )
        method = rng.choice(("GET", "POST"))
        body = (
            form(
                rng,
                {
                    "step": rng.choice(("login", "consent", junk)),
                    "csrf_token": junk,
                    "username": junk,
                    "password": junk,
                },
            )
            if method == "POST"
            else None
        )
        return FuzzRequest(
            "oauth",
            method,
            "/services/oauth2/authorize?" + query.decode(),
            headers,
            body,
            expects_json=False,
        )
    return FuzzRequest("oauth", "POST", f"/services/oauth2/{endpoint}", headers, form(rng, pairs))


def identity(rng: random.Random, t: Target) -> FuzzRequest:
    path = rng.choice(
        (
            f"/id/{t.org_id}/{segment(rng, t.users)}",
            f"/id/{segment(rng, [t.org_id])}/{segment(rng, [])}?version={segment(rng, ['59.0'])}",
            "/id/keys",
            "/.well-known/openid-configuration",
        )
    )
    return FuzzRequest("identity", "GET", path, auth(rng, t))


SOAP_LOGIN = (
    '<?xml version="1.0" encoding="{enc}"?><soapenv:Envelope '
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:urn="urn:partner.soap.sforce.com">'
    "<soapenv:Body><urn:login><urn:username>{user}</urn:username><urn:password>{pw}</urn:password>"
    "</urn:login></soapenv:Body></soapenv:Envelope>"
)


def soap(rng: random.Random, t: Target) -> FuzzRequest:
    text = SOAP_LOGIN.format(
        enc=rng.choice(("UTF-8", "UTF-8", "x-bogus", "utf-16", "ascii")),
        user=rng.choice(t.users + ODD_STRINGS),
        pw=rng.choice(ODD_STRINGS),
    )
    if rng.random() < 0.3:
        text = text[: rng.randrange(len(text))] + rng.choice(
            ("<", "&", "]]>", "<!DOCTYPE x [<!ENTITY a 'b'>]>")
        )
    version = rng.choice(("59.0", "59.0", segment(rng, [])))
    headers = {"Content-Type": "text/xml", "SOAPAction": rng.choice(("login", '""', "logout"))}
    return FuzzRequest(
        "soap", "POST", f"/services/Soap/u/{version}", headers, body_bytes(rng, text)
    )


CONTROL_ROUTES = [
    ("GET", "/orgs/{org}"),
    ("GET", "/orgs/{org}/journal?limit={n}&status={n}&since_seq={n}"),
    ("GET", "/orgs/{org}/users/{seg}"),
    ("PATCH", "/orgs/{org}/users/{seg}"),
    ("POST", "/orgs/{org}/users"),
    ("PATCH", "/orgs/{org}/settings"),
    ("PUT", "/orgs/{org}/clock"),
    ("POST", "/orgs/{org}/clock/advance"),
    ("POST", "/orgs/{org}/faults"),
    ("POST", "/orgs/{org}/fields"),
    ("POST", "/orgs/{org}/records"),
    ("GET", "/orgs/{org}/records/{seg}"),
    ("POST", "/orgs/{org}/profiles"),
    ("PATCH", "/orgs/{org}/profiles/{seg}"),
    ("POST", "/orgs/{org}/permission-sets"),
    ("PATCH", "/orgs/{org}/apps/{seg}"),
    ("POST", "/orgs/{org}/users/{seg}/approvals"),
    ("POST", "/orgs/{org}/snapshots"),
    ("POST", "/orgs/{org}/users/{seg}/sessions"),
    ("POST", "/orgs"),
    ("POST", "/seed"),
    ("GET", "/orgs/{seg}"),
]
CONTROL_KEYS = [
    "name",
    "username",
    "profile",
    "password",
    "active",
    "frozen",
    "object",
    "records",
    "length",
    "type",
    "days",
    "seconds",
    "hours",
    "now",
    "frozen",
    "api_daily_limit",
    "journal_limit",
    "session_timeout_seconds",
    "objects",
    "fields",
    "users",
    "orgs",
    "settings",
    "match",
    "response",
    "permission_sets",
    "login_ip_ranges",
    "callback_urls",
    "scopes",
    "client_id",
]


def control(rng: random.Random, t: Target, victim: str) -> FuzzRequest:
    method, template = rng.choice(CONTROL_ROUTES)
    path = "/_mock" + template.format(
        org=victim, seg=segment(rng, t.users), n=segment(rng, ["5", "9" * 5000])
    )
    body = body_bytes(rng, object_text(rng, names=CONTROL_KEYS)) if method != "GET" else None
    return FuzzRequest("control", method, path, {"Content-Type": "application/json"}, body)


def csv_text(rng: random.Random) -> str:
    """A Bulk CSV upload: a header of field names, a few rows, sometimes broken."""
    header = rng.sample(FIELDS[:-1], rng.randrange(1, 4))
    cells = [*ODD_STRINGS, "9" * 400, "1e400", "#N/A", "2024-01-01", '"a,b"']
    rows = [",".join(rng.choice(cells) for _ in header) for _ in range(rng.randrange(0, 4))]
    text = "\n".join([",".join(header), *rows])
    if rng.random() < 0.2:
        text = text.replace(",", rng.choice(('"', ',"', "\r", ";")), 1)
    return text


def bulk(rng: random.Random, t: Target) -> FuzzRequest:
    """Bulk API 2.0 ingest and query jobs, and Bulk API 1.0 jobs and batches."""
    job = segment(rng, ["750000000000001AAA"])
    kind = rng.choice(("ingest", "query"))
    operation = rng.choice(("insert", "update", "upsert", "delete", "query", "x"))
    spec = (
        f'{{"object":{json.dumps(rng.choice(OBJECTS))},"operation":{json.dumps(operation)},'
        f'"query":{json.dumps(soql(rng))},"lineEnding":{scalar_text(rng)},'
        f'"columnDelimiter":{scalar_text(rng)},"externalIdFieldName":{scalar_text(rng)}}}'
    )
    method, path, text = rng.choice(
        (
            ("POST", f"{V}/jobs/{kind}", spec),
            ("PATCH", f"{V}/jobs/{kind}/{job}", f'{{"state":{scalar_text(rng)}}}'),
            ("PUT", f"{V}/jobs/ingest/{job}/batches", csv_text(rng)),
            ("GET", f"{V}/jobs/{kind}/{job}", ""),
            ("GET", f"{V}/jobs/query/{job}/results?maxRecords={segment(rng, ['5'])}", ""),
            ("GET", f"{V}/jobs/{kind}?jobType={segment(rng, ['V2Ingest'])}", ""),
            ("DELETE", f"{V}/jobs/{kind}/{job}", ""),
            ("POST", "/services/async/59.0/job", spec),
            ("POST", f"/services/async/59.0/job/{job}/batch", csv_text(rng)),
            ("GET", f"/services/async/{segment(rng, ['59.0'])}/job/{job}/batch", ""),
        )
    )
    headers = json_headers(rng, t)
    if path.startswith("/services/async"):
        headers["X-SFDC-Session"] = t.token
    if text and ("batches" in path or "/batch" in path):
        headers["Content-Type"] = rng.choice(("text/csv", "application/json", "text/plain"))
    body = body_bytes(rng, text) if text else None
    return FuzzRequest("bulk", method, path, headers, body, expects_json=False)


Family = Callable[[random.Random, Target], FuzzRequest]
FAMILIES: dict[str, Family] = {
    "sobjects": sobjects,
    "query": query,
    "composite": composite,
    "collections": collections,
    "rest_misc": rest_misc,
    "oauth": oauth,
    "identity": identity,
    "soap": soap,
    "bulk": bulk,
}


def generate(rng: random.Random, target: Target, victim: str) -> FuzzRequest:
    """One request from a family picked at random (the control plane aims at ``victim``)."""
    names = [*FAMILIES, "control"]
    name = rng.choice(names)
    if name == "control":
        return control(rng, target, victim)
    return FAMILIES[name](rng, target)
