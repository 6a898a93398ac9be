"""aiosalesforce (unmodified) against the mock over HTTPS: SOAP login, sObjects, queries,
composite batch, limits, errors.

aiosalesforce only accepts a My Domain base URL (``https://<name>.my.salesforce.com``), so the
suite hands it an ``httpx.AsyncClient`` whose transport routes that one host to the mock
(``RouteToMockTransport``), counting every rewrite; nothing in the library is patched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from aiosalesforce import Salesforce
from aiosalesforce.auth import SoapLogin
from aiosalesforce.exceptions import SalesforceError

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.serving.server import LiveServer
from mock_salesforce.serving.tls import TlsFiles
from tests.clients.hosts import MY_DOMAIN, RouteToMockTransport

T = TypeVar("T")
PASSWORDS = {
    "admin@test.org": ("admin-pass-1", "ADMINTOK"),
    "user@test.org": ("user-pass-1", "USERTOK"),
}


def run_as(
    server: LiveServer, tls: TlsFiles, username: str, work: Callable[[Salesforce], Awaitable[T]]
) -> tuple[T, list[str]]:
    """Run ``work`` with a client logged in (SOAP) as ``username``; its result and the hosts
    the transport rerouted."""
    transport = RouteToMockTransport(server.url, (MY_DOMAIN,), str(tls.ca_cert))

    async def main() -> T:
        async with httpx.AsyncClient(transport=transport) as http:
            password, token = PASSWORDS[username]
            sf = Salesforce(
                httpx_client=http,
                base_url=f"https://{MY_DOMAIN}",
                auth=SoapLogin(username, password, token),
                version="59.0",
            )
            return await work(sf)

    return asyncio.run(main()), transport.rewrites


def test_soap_login_then_crud(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    async def work(sf: Salesforce) -> dict[str, Any]:
        contact_id = await sf.sobject.create(
            "Contact", {"LastName": "Async", "Email": "a@b.example"}
        )
        await sf.sobject.update("Contact", contact_id, {"Title": "CTO"})
        record = await sf.sobject.get("Contact", contact_id)
        await sf.sobject.delete("Contact", contact_id)
        return record

    record, rewrites = run_as(https_server, mock_tls, "user@test.org", work)
    assert record["Title"] == "CTO" and record["OwnerId"] == https_org.users["user@test.org"], (
        record
    )
    assert record["CreatedDate"].endswith(".000+0000"), record["CreatedDate"]
    assert rewrites == [MY_DOMAIN] * 5, f"login + 4 calls, all to the My Domain only: {rewrites}"


def test_soap_login_reads_the_session_lifetime(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    async def work(sf: Salesforce) -> bool:
        await sf.auth.get_access_token(sf)
        return sf.auth.expired

    expired, _ = run_as(https_server, mock_tls, "user@test.org", work)
    assert expired is False, "sessionSecondsValid (7200) gives the session its lifetime"


def test_query_pages_through_every_record(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    https_org.control.seed_records(
        "Account", [{"Name": f"A{n:04d}", "OwnerId": "user@test.org"} for n in range(2100)]
    )

    async def work(sf: Salesforce) -> list[str]:
        return [r["Name"] async for r in sf.query("SELECT Name FROM Account ORDER BY Name")]

    names, _ = run_as(https_server, mock_tls, "user@test.org", work)
    assert len(names) == 2100 and names[-1] == "A2099", (len(names), names[-3:])


def test_composite_batch_and_query_errors(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    async def work(sf: Salesforce) -> tuple[Any, ...]:
        async with sf.composite.batch(halt_on_error=True) as batch:
            created = batch.sobject.create("Account", {"Name": "Batch Co"})
            query = batch.query("SELECT Name FROM Account")
        with pytest.raises(SalesforceError, match=r"MALFORMED_QUERY|unexpected"):
            [r async for r in sf.query("SELECT Nope FROM")]
        return created.id, query.records

    (account_id, records), _ = run_as(https_server, mock_tls, "user@test.org", work)
    assert len(account_id) == 18 and [r["Name"] for r in records] == ["Batch Co"], records


def test_limits_need_view_setup(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    async def limits(sf: Salesforce) -> dict[str, Any]:
        return await sf.get_limits()

    admin, _ = run_as(https_server, mock_tls, "admin@test.org", limits)
    assert admin["DailyApiRequests"]["Max"] > 0, admin
    with pytest.raises(SalesforceError, match="limits resource is not enabled"):
        run_as(https_server, mock_tls, "user@test.org", limits)


def test_bulk_v2_insert_reports_successes_and_failures(
    https_server: LiveServer, mock_tls: TlsFiles, https_org: OrgHandle
) -> None:
    rows = [{"LastName": f"Bulk{n}"} for n in range(30)] + [{"FirstName": "No last name"}]

    async def work(sf: Salesforce) -> Any:
        return await sf.bulk_v2.insert("Contact", rows)

    result, _ = run_as(https_server, mock_tls, "user@test.org", work)
    assert len(result.successful_results) == 30, result.successful_results[:2]
    [failed] = result.failed_results
    assert "REQUIRED_FIELD_MISSING" in failed["sf__Error"], failed
    assert [job.state for job in result.jobs] == ["JobComplete"], result.jobs
    owners = {r["OwnerId"] for r in https_org.control.records("Contact")}
    assert owners == {https_org.users["user@test.org"]}, owners
