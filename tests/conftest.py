"""Shared test fixtures.

`db_url` is a fresh database built only by the migrations: SQLite always, PostgreSQL (a fresh
schema, dropped afterwards) when TEST_POSTGRES_URL / DATABASE_URL names one, skipped otherwise.

`stack` starts the real assistant once per test run: the Rasa server (the model `make` trained,
never a second training), the rasa-sdk action server and the web app, on free loopback ports,
with a fresh case store and tracker store. The databases are SQLite files in a temporary
directory, or PostgreSQL when TEST_POSTGRES_URL / DATABASE_URL names one (as in CI).
"""
from __future__ import annotations

import json
import os
import sys
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import run as runner  # noqa: E402  (scripts/run.py)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from casestore.db import migrate  # noqa: E402


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def _with_search_path(url: str, schema: str) -> str:
    parsed = make_url(url)
    options = " ".join(filter(None, [parsed.query.get("options"), f"-csearch_path={schema}"]))
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casestore.db'}"
        migrate(url)
        yield url
        return
    base = postgres_url()
    if base is None:
        pytest.skip("PostgreSQL: set TEST_POSTGRES_URL (or DATABASE_URL) to postgresql+psycopg2://...")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = _with_search_path(base, schema)
        migrate(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def fresh_postgres_database(base_url: str, name: str) -> str:
    """Create an empty database beside the one in base_url and return its URL."""
    url = make_url(base_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class RunningStack:
    stack: runner.Stack
    env: dict[str, str]
    teams: Any = None  # the Bot Connector emulator, when channels.teams provides one

    @property
    def rasa_url(self) -> str:
        return self.env["RASA_URL"]

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.env['WEB_PORT']}"

    def rest(self, sender: str, message: str, metadata: dict[str, Any] | None = None,
             timeout: float = 30) -> list[dict[str, Any]]:
        """One message over Rasa's REST channel; the list of replies."""
        body = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(f"{self.rasa_url}/webhooks/rest/webhook",
                                         data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def restart(self, *names: str) -> None:
        """Stop and start processes (e.g. "rasa", "actions") as a crash-and-restart would."""
        for name in names:
            self.stack.stop(name)
        for name in names:
            getattr(self.stack, f"start_{name}")()
        for name in names:
            getattr(self.stack, f"wait_{name}")()

    def claim(self, username: str) -> dict[str, str]:
        """Message metadata carrying a signed web identity, as the web app sends it."""
        from channels.identity import issue_claim

        return {"identity": issue_claim(username, "web")}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    var = tmp_path_factory.mktemp("var")
    overrides: dict[str, str] = {}
    pg = postgres_url()
    if pg:
        suffix = uuid.uuid4().hex[:8]
        overrides["DATABASE_URL"] = fresh_postgres_database(pg, f"iioc_cases_{suffix}")
        tracker = fresh_postgres_database(pg, f"iioc_tracker_{suffix}")
        overrides["TRACKER_DB_URL"] = tracker.replace("postgresql+psycopg2://", "postgresql://")
    stop_emulator, teams = None, None
    try:
        from channels.teams.emulator import start_for_tests
    except ImportError:
        start_for_tests = None
    if start_for_tests is not None:
        emulator_env, teams, stop_emulator = start_for_tests(var)
        overrides |= emulator_env
    env = runner.isolated_env(var, overrides)
    os.environ["IDENTITY_SECRET"] = env["IDENTITY_SECRET"]
    stack = runner.Stack(env=env, logs=var / "log")
    stack.prepare(seed_demo=True)
    stack.start_all()
    yield RunningStack(stack=stack, env=env, teams=teams)
    stack.stop_all()
    if stop_emulator is not None:
        stop_emulator()
