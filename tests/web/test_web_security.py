"""CSRF on every form and on the chat API, security headers, and no inline script or style
anywhere (so the Content-Security-Policy can forbid them)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from web_support import csrf_from

PAGES = ["/chat", "/cases", "/cases/NW/2026/0012", "/protocol", "/protocol/3.4", "/protocol/appendix-1/siblings",
         "/protocol/glossary", "/process", "/accessibility", "/logout"]


def test_login_form_needs_the_csrf_token(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "demo", "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/chat").status_code == 302


def test_chat_api_needs_the_csrf_header(demo: FlaskClient) -> None:
    missing = demo.post("/chat/api/message", json={"message": "what does 3.5 say"})
    assert missing.status_code == 400 and "expired" in missing.get_json()["error"]
    wrong = demo.post("/chat/api/message", json={"message": "hi"}, headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400
    token = csrf_from(demo.get("/chat").get_data(as_text=True))
    ok = demo.post("/chat/api/message", json={"message": "hi"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


def test_a_token_from_another_session_is_refused(demo: FlaskClient) -> None:
    other = demo.application.test_client()
    foreign = csrf_from(other.get("/login").get_data(as_text=True))
    response = demo.post("/chat/api/message", json={"message": "hi"}, headers={"X-CSRFToken": foreign})
    assert response.status_code == 400


@pytest.mark.parametrize("path", PAGES)
def test_security_headers(demo: FlaskClient, path: str) -> None:
    response = demo.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", PAGES + ["/login"])
def test_no_inline_scripts_or_styles(demo: FlaskClient, path: str) -> None:
    html = demo.get(path).get_data(as_text=True)
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script, script
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"<style\b|\sstyle\s*=", html), "inline style"


def test_exports_are_not_cached(demo: FlaskClient) -> None:
    for path in ("/cases/NW/2026/0012/export.json", "/cases/NW/2026/0012/export/strategy-meeting.docx"):
        assert "no-store" in demo.get(path).headers["Cache-Control"]


def test_static_files_may_be_cached(client: FlaskClient) -> None:
    response = client.get("/static/css/app.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_chat_script_keeps_nothing_in_browser_storage() -> None:
    static = Path(__file__).resolve().parents[2] / "channels" / "web" / "static" / "js"
    for script in static.glob("*.js"):
        text = script.read_text()
        assert "localStorage" not in text and "sessionStorage" not in text and "indexedDB" not in text
        assert "innerHTML" not in text  # replies are put in the page as text, never as markup
