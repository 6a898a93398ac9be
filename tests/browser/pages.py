"""Small helpers the browser tests share: waiting with a message that says what was seen,
and the accessibility checks every page must pass."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Every labelable control of a page must have a name a screen reader can read.
UNLABELLED_CONTROLS = """
return Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML.slice(0, 120));
"""
HEADINGS = """
return Array.from(document.querySelectorAll('h1, h2, h3, h4')).map(h => Number(h.tagName[1]));
"""
OVERFLOW = "return document.documentElement.scrollWidth - window.innerWidth;"


def wait_for(
    probe: Callable[[], T | None], what: str, seen: Callable[[], Any], timeout: float = 10.0
) -> T:
    """Poll ``probe`` until it answers something truthy; fail saying what was seen instead."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except WebDriverException:  # the page replaced what was looked at, or is changing
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f}s for {what}; saw: {seen()!r}")
        time.sleep(0.2)


def css(browser: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, selector)


def all_css(browser: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(browser.find_elements(By.CSS_SELECTOR, selector))


def fill(browser: Any, selector: str, text: str) -> None:
    element = css(browser, selector)
    element.clear()
    element.send_keys(text)


def choose(browser: Any, selector: str, visible_or_value: str) -> None:
    from selenium.webdriver.support.ui import Select

    select = Select(css(browser, selector))
    values = [o.get_attribute("value") for o in select.options]
    if visible_or_value in values:
        select.select_by_value(visible_or_value)
    else:
        select.select_by_visible_text(visible_or_value)


def notice(browser: Any) -> str:
    found = all_css(browser, "#notice")
    return str(found[0].text) if found else ""


def page_problems(browser: Any, title_word: str = "Mock Salesforce") -> list[str]:
    """What a screen-reader or keyboard user would trip on, and overflow at laptop width."""
    problems = []
    if not browser.title or title_word not in browser.title:
        problems.append(f"title {browser.title!r} does not name the page")
    levels = browser.execute_script(HEADINGS)
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    unlabelled = browser.execute_script(UNLABELLED_CONTROLS)
    if unlabelled:
        problems.append(f"controls without a label: {unlabelled}")
    overflow = browser.execute_script(OVERFLOW)
    if overflow > 0:
        problems.append(f"the page is {overflow}px wider than a laptop window")
    return problems


def submit(browser: Any, selector: str) -> None:
    """Click a form's button and wait for the page it leads to."""
    click_through(browser, css(browser, selector))


def click_through(browser: Any, element: Any) -> None:
    """Click ``element`` and wait until a new page has loaded in place of this one.

    The old page is marked with a script variable; the wait ends when a page without the mark
    is complete. Anything the driver says while the page changes counts as "not yet".
    """
    from selenium.common.exceptions import WebDriverException

    browser.execute_script("window.beforeClickThrough = true")
    element.click()

    def arrived() -> bool:
        try:
            return bool(
                browser.execute_script(
                    "return !window.beforeClickThrough && document.readyState === 'complete'"
                )
            )
        except WebDriverException:
            return False

    wait_for(arrived, "the next page", lambda: browser.current_url, timeout=15)
