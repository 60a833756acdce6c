"""Debian's Chromium through Playwright (never `playwright install`), axe-core from the
axe-selenium-python package, and where the browser tests keep their artefacts."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_selenium_python
from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
IMPACTS = ("serious", "critical")
AXE_JS = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]  # the tags this axe-core knows


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in IMPACTS]


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def small_targets(page: Page, minimum: float = 24) -> list[str]:
    """Controls smaller than WCAG 2.2's 24×24 CSS pixel target size (2.5.8; this axe-core
    predates WCAG 2.2). Links inside running text are exempt, as the criterion allows."""
    return page.evaluate(
        """min => Array.from(document.querySelectorAll(
              'button, input:not([type=hidden]), textarea, select, nav a, .choices button, a.button'))
            .filter(e => e.offsetParent !== null)
            .filter(e => { const r = e.getBoundingClientRect(); return r.width < min || r.height < min; })
            .map(e => e.outerHTML.slice(0, 80))""", minimum)


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element draws a focus indicator (outline or box shadow)."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                          || s.boxShadow !== 'none'; }""")
