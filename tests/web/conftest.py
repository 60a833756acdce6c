"""Fixtures for the web app tests.

Fast tests use Flask's test client on a fresh, migrated SQLite case store seeded with the demo
data, and a fake Rasa REST endpoint on a loopback port. Browser tests use the `stack` fixture
(tests/conftest.py) and Debian's Chromium through Playwright (tests/web/browser.py).
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casestore.db import make_engine, make_session_factory, migrate
from web_support import IDENTITY_SECRET, TEST_PASSWORD, FakeRasa, login


@pytest.fixture()
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite case store with the demo teams, users and case (built once)."""
    from casestore.seed import seed_demo

    path = tmp_path_factory.mktemp("web-template") / "casestore.db"
    url = f"sqlite:///{path}"
    migrate(url)
    engine = make_engine(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEMO_PASSWORD", TEST_PASSWORD)
        with make_session_factory(engine)() as session:
            seed_demo(session)
    engine.dispose()
    return path


@pytest.fixture()
def db_url(seeded_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh copy of the seeded case store for one test."""
    monkeypatch.setenv("IDENTITY_SECRET", IDENTITY_SECRET)
    path = tmp_path / "casestore.db"
    shutil.copyfile(seeded_database, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def app(db_url: str, fake_rasa: FakeRasa) -> Flask:
    from channels.web import create_app

    return create_app({"DATABASE_URL": db_url, "SECRET_KEY": "test-secret-key-0123456789",
                       "RASA_URL": fake_rasa.url, "RASA_TIMEOUT_SECONDS": 5, "TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def demo(client: FlaskClient) -> FlaskClient:
    """The test client signed in as the demo practitioner."""
    assert login(client).status_code == 302
    return client
