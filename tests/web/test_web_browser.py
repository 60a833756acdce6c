"""The web app end to end in Debian's Chromium (headless, Playwright with the system browser)
against the real stack: Rasa server, action server and web app (`stack` fixture).

The tests in this module run in order on one signed-in page, as a practitioner would work:
ask a question and follow its citation, run a checklist by clicking, see the answers on the
case page, download the exports, then sign out. Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from docx import Document
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from channels.web.exports.documents import DRAFT_MARKING as DRAFT
from web_browser import CHROMIUM, focus_is_visible, launch, screenshot, serious_violations, small_targets

CASE = "NW/2026/0012"
REPLY_TIMEOUT_MS = 90_000
recorded: dict[str, str] = {}  # item text -> answer, filled in as the checklist is answered


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def sign_in(context: BrowserContext, web_url: str, username: str, password: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    page.goto(f"{web_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{web_url}/chat")
    return page


@pytest.fixture(scope="module")
def demo_page(browser: Browser, stack: Any) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    yield sign_in(context, stack.web_url, "demo", stack.env["DEMO_PASSWORD"])
    context.close()


def bot_messages(page: Page) -> list[str]:
    return page.locator(".message--bot .message__body").all_inner_texts()


def wait_for_replies(page: Page, before: int) -> list[str]:
    page.wait_for_function("n => document.querySelectorAll('.message--bot').length > n", arg=before)
    expect(page.locator("#typing")).to_be_hidden()
    return bot_messages(page)[before:]


def say(page: Page, text: str) -> list[str]:
    """Type a message and press Enter (keyboard only); the assistant's new messages."""
    before = len(bot_messages(page))
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")
    return wait_for_replies(page, before)


def current_item(messages: list[str]) -> str:
    prompts = [m for m in messages if re.search(r"item \d+ of \d+", m)]
    assert prompts, f"no checklist item was put: {messages}"
    return re.search(r"“(.+?)”", prompts[-1]).group(1)


def test_question_and_citation_link(demo_page: Page, stack: Any) -> None:
    replies = say(demo_page, "what does 3.5 say")
    assert any("leave the home" in r for r in replies), replies
    link = demo_page.locator(".citations a", has_text="3.5").first
    expect(link).to_have_attribute("href", "/protocol/3.5")
    with demo_page.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    assert viewer.url == f"{stack.web_url}/protocol/3.5"
    expect(viewer.get_by_role("heading", level=1)).to_have_text(
        "3.5 — Whether the alleged offender leaves the home")
    expect(viewer.locator(".version-banner")).to_contain_text("version 09")
    assert serious_violations(viewer) == []
    viewer.close()


def test_checklist_by_clicking_options(demo_page: Page) -> None:
    messages = say(demo_page, f"start the 3.4 check for {CASE}")
    first = current_item(messages)
    before = len(bot_messages(demo_page))
    demo_page.locator(".choices").last.get_by_role("button", name="Yes", exact=True).click()
    messages = wait_for_replies(demo_page, before)
    assert any("Recorded" in m for m in messages), messages
    recorded[first] = "yes"
    second = current_item(messages)
    # keyboard only: focus has moved to the new question's first option; Tab to "No", Enter
    focused = demo_page.evaluate("document.activeElement.textContent")
    assert focused == "Yes"
    before = len(bot_messages(demo_page))
    demo_page.keyboard.press("Tab")
    assert demo_page.evaluate("document.activeElement.textContent") == "No"
    assert focus_is_visible(demo_page)
    demo_page.keyboard.press("Enter")
    messages = wait_for_replies(demo_page, before)
    assert any("Recorded" in m for m in messages), messages
    recorded[second] = "no"
    assert demo_page.locator(".choices button:not([disabled])").count() <= 6  # only the latest question's
    screenshot(demo_page, "chat.png")
    assert serious_violations(demo_page) == []
    assert small_targets(demo_page) == []


def test_appendix_7_answer_by_typing(demo_page: Page) -> None:
    # A short answer: longer free text can be taken for a protocol question (reported to the lead).
    messages = say(demo_page, f"start the appendix-7 check for {CASE}")
    part = current_item(messages)
    messages = say(demo_page, "See police disclosure")
    assert any("Recorded" in m for m in messages), messages
    recorded[part] = "See police disclosure"


def test_answers_on_the_case_page(demo_page: Page, stack: Any) -> None:
    assert recorded, "the checklist test did not record anything"
    response = demo_page.goto(f"{stack.web_url}/cases/{CASE}")
    assert response is not None and response.status == 200
    answers = demo_page.locator("#answers")
    for item, value in recorded.items():
        row = answers.locator("tr", has_text=item).first
        expect(row.locator(".answer")).to_have_text(value)
    history = demo_page.locator("#history")
    expect(history).to_contain_text("demo · web · answer")
    screenshot(demo_page, "case.png")
    assert serious_violations(demo_page) == []
    assert small_targets(demo_page) == []


def download(page: Page, link_text: str) -> Document:
    with page.expect_download() as started:
        page.get_by_role("link", name=link_text).click()
    path = started.value.path()
    return Document(io.BytesIO(Path(path).read_bytes()))


def test_word_exports(demo_page: Page) -> None:
    pack = download(demo_page, "Strategy meeting pack (Word)")
    assert pack.paragraphs[0].text == DRAFT
    assert all(f in pack.paragraphs[-1].text for f in ("Name:", "Role:", "Date:", "Signature:"))
    cells = {cell.text for table in pack.tables for row in table.rows for cell in row.cells}
    yes_item = next(item for item, value in recorded.items() if value == "yes")
    assert yes_item in cells and "yes" in cells

    form = download(demo_page, "Appendix 7 — Assessment of Internet Offenders form (Word)")
    paragraphs = [p.text for p in form.paragraphs]
    assert paragraphs[0] == DRAFT
    assert all(f in paragraphs[-1] for f in ("Name:", "Role:", "Date:", "Signature:"))
    assert "See police disclosure" in paragraphs
    assert "Not yet recorded" in paragraphs  # parts with nothing recorded are visibly empty
    assert len([p for p in paragraphs if p.startswith("Part ")]) == 18


def test_protocol_pages_and_process_map(demo_page: Page, stack: Any) -> None:
    for path in ("/protocol", "/protocol/appendix-1/siblings", "/protocol/glossary"):
        demo_page.goto(f"{stack.web_url}{path}")
        assert serious_violations(demo_page) == [], path
    demo_page.goto(f"{stack.web_url}/process")
    steps = demo_page.locator("#process-steps > ol > li").count()
    expect(demo_page.locator("svg a.node")).to_have_count(steps)
    screenshot(demo_page, "process-map.png")
    assert serious_violations(demo_page) == []


def test_sign_out_leaves_nothing_behind(demo_page: Page, stack: Any) -> None:
    web = stack.web_url
    demo_page.goto(f"{web}/cases/{CASE}")
    assert demo_page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    # Were anything ever put in storage (an extension, a future script), signing out clears it.
    demo_page.evaluate("localStorage.setItem('probe', 'x'); sessionStorage.setItem('probe', 'x')")
    old_cookie = next(c["value"] for c in demo_page.context.cookies() if c["name"] == "iioc_session")
    with demo_page.expect_response(lambda r: r.url.endswith("/logout")) as logout:
        demo_page.get_by_role("button", name="Sign out").click()
    assert logout.value.header_value("clear-site-data") == '"cache", "storage"'
    demo_page.wait_for_url(f"{web}/signed-out")
    assert demo_page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert demo_page.evaluate("indexedDB.databases().then(d => d.length)") == 0
    assert not [c for c in demo_page.context.cookies() if c["name"] == "iioc_session"]
    demo_page.go_back()
    demo_page.wait_for_load_state()
    assert "/login" in demo_page.url
    content = demo_page.content()
    assert not any(item in content for item in recorded), "case content shown after signing out"
    replay = requests.get(f"{web}/cases/{CASE}", cookies={"iioc_session": old_cookie},
                          allow_redirects=False, timeout=10)
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login")


def test_skip_link_is_first_and_moves_focus_to_main(browser: Browser, stack: Any) -> None:
    page = browser.new_page()
    page.goto(f"{stack.web_url}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "username"
    assert serious_violations(page) == [] and small_targets(page) == []
    page.close()


def test_other_team_is_refused(browser: Browser, stack: Any) -> None:
    context = browser.new_context()
    page = sign_in(context, stack.web_url, "other", stack.env["DEMO_PASSWORD"])
    response = page.goto(f"{stack.web_url}/cases/{CASE}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not a case your team can see")
    assert "Previous history" not in page.content()
    page.goto(f"{stack.web_url}/cases")
    expect(page.locator("main")).not_to_contain_text(CASE)
    context.close()
