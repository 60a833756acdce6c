"""Fixtures for the induction tests: the real knowledge and tour, a case store built by the
migrations (SQLite always; PostgreSQL too when TEST_POSTGRES_URL / DATABASE_URL names one), and a
protocol Q&A stand-in so the flow can be tested without the retriever."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import knowledge
from actions.replies import Reply
from casestore.db import make_engine, make_session_factory
from casestore.models import Practitioner, Team
from knowledge.induction import Tour, load_tour
from knowledge.loader import PACKAGE_ROOT


@pytest.fixture(scope="session")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


@pytest.fixture(scope="session")
def tour() -> Tour:
    return load_tour()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of knowledge/ (source and data) to modify and load with knowledge.load(root)."""
    root = tmp_path / "knowledge"
    shutil.copytree(PACKAGE_ROOT / "source", root / "source")
    shutil.copytree(PACKAGE_ROOT / "data", root / "data")
    return root


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def people(session: Session) -> dict[str, Practitioner]:
    team = Team(name="Team A")
    result = {name: Practitioner(username=name, team=team, role="practitioner", active=True)
              for name in ("alice", "bob")}
    session.add_all(result.values())
    session.commit()
    return result


class FakeAsker:
    """Answers every question with one cited reply and records what was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def is_question(self, text: str) -> bool:
        return len(text.split()) > 2

    def answer(self, text: str) -> list[Reply]:
        self.asked.append(text)
        return [Reply(f"Answer to: {text}", ["3.9"])]


@pytest.fixture
def asker() -> FakeAsker:
    return FakeAsker()
