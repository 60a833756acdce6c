"""Login, server-side sessions, lockout and logout (Flask test client, no browser)."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from casestore.models import Practitioner
from casestore.timeutil import now_utc
from casestore.websession import LoginThrottle, WebSession
from channels.web.database import session_factory
from web_support import TEST_PASSWORD, csrf_from, login

COOKIE = "iioc_session"


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else None


@pytest.mark.parametrize("path", ["/", "/chat", "/cases", "/cases/NW/2026/0012", "/protocol", "/protocol/3.4",
                                  "/protocol/glossary", "/process", "/cases/NW/2026/0012/export.json",
                                  "/cases/NW/2026/0012/export/appendix-7.docx", "/no-such-page"])
def test_every_page_requires_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_chat_api_requires_login(client: FlaskClient) -> None:
    response = client.post("/chat/api/message", json={"message": "hello"})
    assert response.status_code in (400, 401)  # CSRF or login: never forwarded
    assert "error" in response.get_json()


@pytest.mark.parametrize("path", ["/login", "/accessibility", "/static/css/app.css", "/static/js/chat.js"])
def test_public_pages(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_health_is_public(client: FlaskClient) -> None:
    assert client.get("/health").status_code in (200, 503)


def test_login_sets_a_server_side_session_cookie(app: Flask, client: FlaskClient) -> None:
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/chat"
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    assert "Secure" not in set_cookie  # plain http on loopback
    token = session_cookie(client)
    assert token and "." not in token  # a random id, not Flask's signed client-side session
    with session_factory(app)() as db:
        row = db.get(WebSession, hashlib.sha256(token.encode()).hexdigest())
        assert row is not None and '"username": "demo"' in row.data
        assert db.scalar(select(WebSession).where(WebSession.token_hash == token)) is None
    assert client.get("/chat").status_code == 200


def test_cookie_is_secure_over_https(client: FlaskClient) -> None:
    token = csrf_from(client.get("/login", base_url="https://localhost").get_data(as_text=True))
    response = client.post("/login", base_url="https://localhost",
                           data={"username": "demo", "password": TEST_PASSWORD, "csrf_token": token},
                           headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_gives_a_new_session_id(client: FlaskClient) -> None:
    client.get("/login")
    before = session_cookie(client)
    login(client)
    after = session_cookie(client)
    assert before and after and before != after
    client.set_cookie(COOKIE, before)
    assert client.get("/chat").status_code == 302  # the pre-login token is worthless


def test_wrong_password_and_unknown_user_look_the_same(client: FlaskClient) -> None:
    wrong = login(client, password="not-the-password")
    unknown = login(client, username="nobody-here", password="not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The username or password is not right." in wrong.get_data(as_text=True)
    assert "The username or password is not right." in unknown.get_data(as_text=True)
    assert client.get("/chat").status_code == 302


def test_lockout_after_five_failures_for_fifteen_minutes(app: Flask, client: FlaskClient) -> None:
    for _ in range(4):
        assert login(client, password="wrong-password").status_code == 401
    fifth = login(client, password="wrong-password")
    assert fifth.status_code == 429 and "locked" in fifth.get_data(as_text=True)
    locked = login(client)  # even the right password is refused while locked
    assert locked.status_code == 429 and "15 more minutes" in locked.get_data(as_text=True)
    assert client.get("/chat").status_code == 302
    other = app.test_client()
    assert login(other, username="other").status_code == 302  # per username
    with session_factory(app)() as db:  # fifteen minutes later
        db.execute(update(LoginThrottle).values(locked_until=now_utc() - timedelta(seconds=1)))
        db.commit()
    assert login(client).status_code == 302


def test_success_resets_the_failure_count(client: FlaskClient) -> None:
    for _ in range(4):
        login(client, password="wrong-password")
    assert login(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/logout").get_data(as_text=True))})
    for _ in range(4):
        assert login(client, password="wrong-password").status_code == 401


def test_unknown_usernames_are_locked_too(client: FlaskClient) -> None:
    for _ in range(5):
        login(client, username="ghost", password="wrong-password")
    assert login(client, username="ghost", password="wrong-password").status_code == 429


def test_logout_ends_the_session_on_the_server(app: Flask, demo: FlaskClient) -> None:
    token = session_cookie(demo)
    assert token
    response = demo.post("/logout", data={"csrf_token": csrf_from(demo.get("/logout").get_data(as_text=True))})
    assert response.status_code == 302 and response.headers["Location"] == "/signed-out"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert f"{COOKIE}=;" in response.headers["Set-Cookie"]
    with session_factory(app)() as db:
        assert db.get(WebSession, hashlib.sha256(token.encode()).hexdigest()) is None
    demo.set_cookie(COOKIE, token)  # a copy of the old cookie no longer works
    assert demo.get("/cases/NW/2026/0012").status_code == 302
    signed_out = demo.get("/signed-out")
    assert signed_out.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_logout_needs_the_csrf_token(demo: FlaskClient) -> None:
    assert demo.post("/logout").status_code == 400
    assert demo.get("/chat").status_code == 200


def test_deactivated_practitioner_is_signed_out(app: Flask, demo: FlaskClient) -> None:
    with session_factory(app)() as db:
        db.execute(update(Practitioner).where(Practitioner.username == "demo").values(active=False))
        db.commit()
    assert demo.get("/chat").status_code == 302


def test_next_is_followed_only_within_the_site(client: FlaskClient) -> None:
    response = client.get("/cases")
    assert response.headers["Location"] == "/login?next=/cases"
    token = csrf_from(client.get("/login?next=/cases").get_data(as_text=True))
    ok = client.post("/login?next=/cases",
                     data={"username": "demo", "password": TEST_PASSWORD, "csrf_token": token})
    assert ok.headers["Location"] == "/cases"
    other = client.application.test_client()
    token = csrf_from(other.get("/login").get_data(as_text=True))
    evil = other.post("/login?next=//evil.example/", data={"username": "demo", "password": TEST_PASSWORD,
                                                            "csrf_token": token})
    assert evil.headers["Location"] == "/chat"


def test_sessions_expire_when_idle(app: Flask, demo: FlaskClient) -> None:
    with session_factory(app)() as db:
        db.execute(update(WebSession).values(expires_at=now_utc() - timedelta(seconds=1)))
        db.commit()
    assert demo.get("/chat").status_code == 302


def test_case_admin_cli_is_registered(app: Flask, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    result = app.test_cli_runner().invoke(args=["case-admin", "list-practitioners"])
    assert result.exit_code == 0, result.output
    assert "demo\tDemo Team" in result.output and "other\tOther Team" in result.output


def test_deactivated_practitioner_can_still_reach_the_sign_in_form(app: Flask, demo: FlaskClient) -> None:
    with session_factory(app)() as db:
        db.execute(update(Practitioner).where(Practitioner.username == "demo").values(active=False))
        db.commit()
    page = demo.get("/login")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    response = demo.post("/login", data={"username": "other", "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302  # the form's token survived the ended session
