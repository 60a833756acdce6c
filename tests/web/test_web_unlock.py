"""A locked-out username can sign in again after an administrator resets its password or runs
`unlock`, and the lockout message names what helps."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from casestore.cli import main
from web_support import TEST_PASSWORD, login

NEW_PASSWORD = "a-new-long-password-2026"


def lock_out(client: FlaskClient) -> str:
    for _ in range(5):
        response = login(client, password="wrong-password")
    assert response.status_code == 429
    return response.get_data(as_text=True)


@pytest.fixture()
def admin(db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return CliRunner()


def run(admin: CliRunner, *args: str, stdin: str | None = None) -> str:
    result = admin.invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_message_names_what_helps(client: FlaskClient) -> None:
    page = lock_out(client)
    assert "ask your system administrator to unlock it" in page
    assert "resetting your password also unlocks it" in page


def test_a_password_reset_lifts_the_lockout(app: Flask, client: FlaskClient, admin: CliRunner) -> None:
    lock_out(client)
    run(admin, "reset-password", "demo", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert login(client, password=NEW_PASSWORD).status_code == 302


def test_unlock_lifts_the_lockout(app: Flask, client: FlaskClient, admin: CliRunner) -> None:
    lock_out(client)
    assert "'demo' can sign in again." in run(admin, "unlock", "demo")
    assert login(client, password=TEST_PASSWORD).status_code == 302
    assert "'demo' was not locked out." in run(admin, "unlock", "demo")
