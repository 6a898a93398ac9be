"""Paging: 2000-record batches, batchSize, query locators on the mock clock, queryAll."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mock_salesforce import org_admin
from mock_salesforce.soql import engine
from mock_salesforce.soql.errors import InvalidQueryLocator, MalformedQuery, NumberOutsideValidRange
from tests.unit.soql.conftest import Caller, Dataset


def _leads(dataset: Dataset, count: int) -> None:
    with dataset.store.transaction():
        for number in range(count):
            org_admin.seed_record(
                dataset.store,
                "Lead",
                {"LastName": f"L{number:05d}", "Company": f"C{number % 3}"},
                dataset.ids["admin"],
            )


def _locator(url: str | None) -> str:
    assert url is not None, "expected a nextRecordsUrl"
    return url.rsplit("/", 1)[1]


def _all_pages(caller: Caller, soql: str, **options: object) -> list[engine.QueryResult]:
    pages = [caller.query(soql, **options)]
    while not pages[-1].done:
        pages.append(engine.next_page(caller, _locator(pages[-1].next_records_url)))
    return pages


@pytest.mark.parametrize(
    ("rows", "sizes"),
    [
        (0, [0]),
        (1, [1]),
        (1999, [1999]),
        (2000, [2000]),
        (2001, [2000, 1]),
        (4500, [2000, 2000, 500]),
    ],
)
def test_query_pages_hold_2000_records(dataset: Dataset, rows: int, sizes: list[int]) -> None:
    _leads(dataset, rows)
    pages = _all_pages(
        dataset.caller("admin"),
        "SELECT LastName FROM Lead WHERE Company != null AND LastName != 'Lead' ORDER BY LastName",
    )
    seen = [len(page.records) for page in pages]
    assert seen == sizes, f"page sizes {seen}"
    assert {page.total_size for page in pages} == {rows}, f"totals {[p.total_size for p in pages]}"
    names = [record["LastName"] for page in pages for record in page.records]
    assert names == sorted(names) and len(set(names)) == rows, "pages overlap or are out of order"


def test_query_last_page_has_no_next_records_url(dataset: Dataset) -> None:
    _leads(dataset, 2001)
    pages = _all_pages(dataset.caller("admin"), "SELECT Id FROM Lead")
    assert "nextRecordsUrl" not in pages[-1].to_json(), f"{pages[-1].to_json().keys()}"
    first = pages[0].to_json()
    assert list(first) == ["totalSize", "done", "nextRecordsUrl", "records"], f"{list(first)}"
    assert first["nextRecordsUrl"].startswith("/services/data/v59.0/query/01g"), first


def test_query_empty_object_answers_no_records(dataset: Dataset) -> None:
    result = dataset.caller("admin").query("SELECT Id FROM Event")
    assert result.to_json() == {"totalSize": 0, "done": True, "records": []}, result.to_json()


@pytest.mark.parametrize(
    ("requested", "first_page"), [(200, 200), (500, 500), (50, 200), (9999, 2000)]
)
def test_query_batch_size_is_clamped(dataset: Dataset, requested: int, first_page: int) -> None:
    _leads(dataset, 2100)
    size = engine.clamp_batch_size(requested)
    result = dataset.caller("admin").query("SELECT Id FROM Lead", batch_size=size)
    assert len(result.records) == first_page, f"first page of {len(result.records)}"
    url = result.next_records_url or ""
    assert url.endswith(f"-{first_page}"), url


def test_query_locator_accepts_any_offset_and_version(dataset: Dataset) -> None:
    _leads(dataset, 2500)
    caller = dataset.caller("admin")
    first = caller.query("SELECT LastName FROM Lead ORDER BY LastName", version="52.0")
    locator = _locator(first.next_records_url).split("-")[0]
    page = engine.next_page(caller, f"{locator}-2400", version="60.0")
    assert [r["LastName"] for r in page.records[:1]] == ["L02400"], f"{page.records[:1]}"
    assert page.done and len(page.records) == 101, f"{len(page.records)} records"
    assert page.records[0]["attributes"]["url"].startswith("/services/data/v60.0/"), page.records[0]
    assert first.next_records_url and "/v52.0/query/" in first.next_records_url


def test_query_locator_expires_on_the_mock_clock(dataset: Dataset) -> None:
    _leads(dataset, 2001)
    caller = dataset.caller("admin")
    locator = _locator(caller.query("SELECT Id FROM Lead").next_records_url)
    dataset.store.clock.advance(timedelta(minutes=14))
    engine.next_page(caller, locator)
    dataset.store.clock.advance(timedelta(minutes=15, seconds=1))
    with pytest.raises(InvalidQueryLocator, match="invalid query locator"):
        engine.next_page(caller, locator)


@pytest.mark.parametrize("text", ["nonsense", "01g000000000000AAA", "01g500000000099AAA-2000"])
def test_query_unknown_locator_is_invalid(dataset: Dataset, text: str) -> None:
    with pytest.raises(InvalidQueryLocator):
        engine.next_page(dataset.caller("admin"), text)


def test_query_locator_belongs_to_its_user(dataset: Dataset) -> None:
    _leads(dataset, 2001)
    locator = _locator(dataset.caller("admin").query("SELECT Id FROM Lead").next_records_url)
    with pytest.raises(InvalidQueryLocator):
        engine.next_page(dataset.caller("rep"), locator)


def test_query_limit_caps_total_across_pages(dataset: Dataset) -> None:
    _leads(dataset, 3000)
    pages = _all_pages(dataset.caller("admin"), "SELECT Id FROM Lead LIMIT 2500")
    assert [len(p.records) for p in pages] == [2000, 500], f"{[len(p.records) for p in pages]}"


def test_query_all_includes_deleted_rows(dataset: Dataset) -> None:
    obj = dataset.store.schema.object("Account")
    assert obj is not None
    dataset.store.update_row(obj, dataset.ids["initech"], {"IsDeleted": True})
    live = dataset.caller("admin").query("SELECT Name FROM Account ORDER BY Name")
    every = dataset.caller("admin").query(
        "SELECT Name, IsDeleted FROM Account ORDER BY Name", include_deleted=True
    )
    assert [r["Name"] for r in live.records] == ["Acme", "Globex"], f"{live.records}"
    deleted = [(r["Name"], r["IsDeleted"]) for r in every.records]
    assert deleted == [("Acme", False), ("Globex", False), ("Initech", True)], f"{deleted}"


def test_query_aggregate_beyond_2000_groups_is_refused(dataset: Dataset) -> None:
    _leads(dataset, 2001)
    with pytest.raises(MalformedQuery, match="Aggregate query does not support queryMore"):
        dataset.caller("admin").query("SELECT LastName, COUNT(Id) FROM Lead GROUP BY LastName")


def test_query_offset_above_2000_is_refused(dataset: Dataset) -> None:
    with pytest.raises(NumberOutsideValidRange, match="Maximum SOQL offset allowed is 2000"):
        dataset.caller("admin").query("SELECT Id FROM Lead LIMIT 10 OFFSET 2001")


def test_query_user_keeps_at_most_ten_open_locators(dataset: Dataset) -> None:
    _leads(dataset, 2001)
    caller = dataset.caller("admin")
    locators = [_locator(caller.query("SELECT Id FROM Lead").next_records_url) for _ in range(11)]
    with pytest.raises(InvalidQueryLocator):
        engine.next_page(caller, locators[0])
    assert engine.next_page(caller, locators[1]).done, "the second cursor should still be open"
