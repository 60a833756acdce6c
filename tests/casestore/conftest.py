"""Fixtures for the case store tests.

Every test gets a fresh database built ONLY by running the migrations:
- `sqlite`: a file in the test's tmp directory (always);
- `postgresql`: a fresh schema in the database named by TEST_POSTGRES_URL, or DATABASE_URL
  when that is a postgresql URL (skipped otherwise); the schema is dropped afterwards.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the repository root is on PYTHONPATH for every process
    sys.path.insert(0, str(ROOT))

from casestore.db import make_engine, make_session_factory  # noqa: E402
from casestore.models import ChannelIdentity, Practitioner, Team  # noqa: E402
from casestore.service import CaseService  # noqa: E402

TEST_SECRET = "test-identity-secret-0123456789-abcdefghijklmnop"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def people(session: Session) -> dict[str, Practitioner]:
    """Team A: alice (practitioner), mandy (manager), ada (admin); Team B: bob; Team A's
    former member 'gone' is inactive. Passwords are not set (hashing is slow; see CLI tests)."""
    team_a, team_b = Team(name="Team A"), Team(name="Team B")
    specs = [
        ("alice", team_a, "practitioner", True),
        ("mandy", team_a, "manager", True),
        ("ada", team_a, "admin", True),
        ("bob", team_b, "practitioner", True),
        ("gone", team_a, "practitioner", False),
        ("bella", team_b, "admin", True),
    ]
    result = {}
    for username, team, role, active in specs:
        person = Practitioner(username=username, team=team, role=role, active=active)
        person.identities.append(ChannelIdentity(idp="web", external_id=username, tenant_id=""))
        session.add(person)
        result[username] = person
    session.add(
        ChannelIdentity(
            practitioner=result["alice"], idp="teams", external_id="aad-alice", tenant_id="tenant-1"
        )
    )
    session.commit()
    return result


@pytest.fixture
def service_for(
    session: Session, people: dict[str, Practitioner]
) -> Callable[..., CaseService]:
    def make(username: str, channel: str = "web") -> CaseService:
        return CaseService(session, people[username], channel)

    return make


@pytest.fixture
def alice(service_for: Callable[..., CaseService]) -> CaseService:
    return service_for("alice")


@pytest.fixture
def bob(service_for: Callable[..., CaseService]) -> CaseService:
    return service_for("bob")


@pytest.fixture
def case_ref(alice: CaseService) -> str:
    """An open case of Team A."""
    alice.open_case("NW/2026/0012")
    return "NW/2026/0012"


@pytest.fixture
def identity_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IDENTITY_SECRET", TEST_SECRET)
    return TEST_SECRET
