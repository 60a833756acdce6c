"""At a phone's width (375×740) the case list and a case page do not scroll sideways: the
tables scroll inside their own container and the case facts stack. Runs the web app (no Rasa)
in a thread and Debian's Chromium through Playwright; screenshots go to tests/artifacts/."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask

from casestore import accounts
from casestore.service import CaseService
from channels.web.database import session_factory
from web_browser import launch, screenshot, serious_violations
from web_support import TEST_PASSWORD, served_in_a_thread

CASE = "NW/2026/0012"
WIDTH, HEIGHT = 375, 740

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture()
def served(app: Flask) -> Iterator[str]:
    with session_factory(app)() as db:
        service = CaseService(db, accounts.get_practitioner(db, "demo"), "web")
        first = service.record_answer(CASE, "3.4", "previous-history", "yes",
                                      note="police disclosure 3 May, awaiting the full PNC result")
        service.correct(first.id, "no", note="checked with the police, nothing known")
        service.record_answer(CASE, "3.4", "previous-contact-abuse", "not known", note="awaiting PNC")
        service.record_referral_date(CASE, date(2026, 11, 2))
    with served_in_a_thread(app) as url:
        yield url


def shoot_as_a_phone_shows_it(page, name: str) -> None:
    """The whole page, its top, and each section with a table, as a 375 px screen shows them."""
    whole = screenshot(page, name)
    for section in ("main", "answers", "timeline"):
        if page.locator(f"#{section}").count():
            page.evaluate("id => document.getElementById(id).scrollIntoView()", section)
            page.screenshot(path=str(whole.with_name(whole.stem + f"_{section}.png")))


def test_no_page_scrolls_sideways_at_375_px(served: str) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(f"{served}/login")
        page.fill("#username", "demo")
        page.fill("#password", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/chat")
        for path, name in (("/cases", "narrow_cases.png"), (f"/cases/{CASE}", "narrow_case.png")):
            page.goto(f"{served}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            shoot_as_a_phone_shows_it(page, name)
            assert width <= WIDTH, f"{path} is {width} px wide at a {WIDTH} px viewport"
            assert serious_violations(page) == [], path  # after the shots: axe scrolls things
        # the tables are still all there: their container scrolls, and takes keyboard focus
        scrollers = page.locator(".table-scroll")
        assert scrollers.count() >= 2
        assert scrollers.first.get_attribute("tabindex") == "0"
        # recorded answers stack, one labelled block per item: no column squeezed to a letter a line
        when = page.locator("table.table--stack td[data-label='When, by whom']").first
        assert when.bounding_box()["width"] > WIDTH / 2
        assert "When, by whom: " in page.evaluate(
            "cell => getComputedStyle(cell, '::before').content", when.element_handle()).replace('"', "") + " "
        browser.close()
