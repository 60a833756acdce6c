"""The personal-details warning in the chat page, in Debian's Chromium (headless, Playwright with
the system browser): a pasted referral is held back before it reaches the assistant, the warning
says what kinds of detail were found, the text stays in the box, and "Send it as typed" (reached
by keyboard) sends it after all. Runs the web app in a thread against the fake Rasa, so what
reached "Rasa" can be checked; screenshots go to tests/artifacts/ (desktop and 375 px wide)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from web_browser import CHROMIUM, focus_is_visible, launch, screenshot, serious_violations, small_targets
from web_support import TEST_PASSWORD, FakeRasa, served_in_a_thread

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

REFERRAL = ("Referral from police: Gareth JONES, 12 High Street, Rhyl, tel 07700 900123, arrested for "
            "downloading IIOC. Children Mia (4) and Tom (7). What do we do first?")
REPHRASED = "Police referral: dad arrested for downloading IIOC, two children at home. What do we do first?"


@pytest.fixture()
def served(app: Flask) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with served_in_a_thread(app) as url:
        yield url


def signed_in(browser, url: str, width: int, height: int):  # noqa: ANN001, ANN201
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/chat")
    return page


def type_and_enter(page, text: str) -> None:  # noqa: ANN001
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_the_warning_and_sending_as_typed(served: str, fake_rasa: FakeRasa) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = signed_in(browser, served, 1280, 900)
        box = page.get_by_label("Your message")
        warning = page.locator("#chat-details")

        type_and_enter(page, REFERRAL)
        expect(warning).to_be_visible()
        expect(warning).to_have_attribute("role", "alert")
        expect(warning).to_contain_text("Not sent: your message looks like it contains personal details "
                                        "(a person's name, an address and a phone number)")
        expect(page.locator("#typing")).to_be_hidden()
        assert fake_rasa.requests == []
        assert "07700" not in warning.inner_text() and "Gareth" not in warning.inner_text()
        # nothing typed is lost, nothing was added to the conversation, and the box says why
        expect(box).to_have_value(REFERRAL)
        expect(page.locator(".message--user")).to_have_count(0)
        assert page.evaluate("document.activeElement.id") == "chat-input"
        assert box.get_attribute("aria-describedby").split()[0] == "chat-details-text"
        page.screenshot(path="/tmp/chat_details_desktop.png")
        screenshot(page, "chat_details.png")
        assert serious_violations(page) == []
        assert small_targets(page) == []

        # keyboard only: back one step from the box to "Send it as typed", Enter
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.textContent") == "Send it as typed"
        assert focus_is_visible(page)
        page.keyboard.press("Enter")
        expect(page.locator(".message--bot")).to_have_count(2)
        expect(warning).to_be_hidden()
        expect(box).to_have_value("")
        expect(page.locator(".message--user")).to_have_text(["You" + REFERRAL])
        [forwarded] = fake_rasa.requests
        assert forwarded["message"] == REFERRAL
        assert forwarded["metadata"]["personal_details_confirmed"] is True
        assert box.get_attribute("aria-describedby").split()[0] == "chat-hint"

        # the other way: take the details out and send again
        type_and_enter(page, REFERRAL)
        expect(warning).to_be_visible()
        box.fill(REPHRASED)
        box.press("Enter")
        expect(page.locator(".message--bot")).to_have_count(3)
        expect(warning).to_be_hidden()
        assert [r["message"] for r in fake_rasa.requests] == [REFERRAL, REPHRASED]
        assert "personal_details_confirmed" not in fake_rasa.requests[-1]["metadata"]
        browser.close()


def test_the_warning_at_a_phones_width(served: str, fake_rasa: FakeRasa) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = signed_in(browser, served, 375, 740)
        type_and_enter(page, REFERRAL)
        warning = page.locator("#chat-details")
        expect(warning).to_be_visible()
        expect(warning).to_be_in_viewport()  # as the page left it, not scrolled by the test
        expect(page.get_by_label("Your message")).to_be_in_viewport()
        page.screenshot(path="/tmp/chat_details_375.png")
        screenshot(page, "chat_details_375.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the chat page is {width} px wide at a 375 px viewport"
        send = page.get_by_role("button", name="Send it as typed")
        assert send.bounding_box()["width"] <= 375
        assert serious_violations(page) == []
        assert fake_rasa.requests == []
        browser.close()


def test_enter_while_waiting_keeps_what_was_typed(served: str, fake_rasa: FakeRasa) -> None:
    """Nothing typed is lost: Enter while the assistant is still answering leaves the box alone."""
    fake_rasa.delay = 1.5
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = signed_in(browser, served, 1280, 900)
        box = page.get_by_label("Your message")
        type_and_enter(page, "what does 3.5 say")
        expect(page.locator("#typing")).to_be_visible()
        type_and_enter(page, "and 3.4?")
        expect(box).to_have_value("and 3.4?")
        expect(page.locator(".message--bot")).to_have_count(2)
        expect(box).to_have_value("and 3.4?")
        box.press("Enter")
        expect(page.locator(".message--bot")).to_have_count(3)
        assert [r["message"] for r in fake_rasa.requests] == ["what does 3.5 say", "and 3.4?"]
        browser.close()
