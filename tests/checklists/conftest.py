"""A migrated case store with two teams, and a ChecklistFlow for the demo practitioner."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.orm import Session

import knowledge
from actions.checklist.flow import ChecklistFlow
from checklist_support import CASE, fake_answer
from casestore import accounts
from casestore.db import make_engine, make_session_factory, migrate
from casestore.service import CaseService


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    migrate(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        for team, user in (("Demo Team", "demo"), ("Other Team", "other")):
            accounts.create_team(session, team)
            accounts.add_practitioner(session, user, team, "a-long-test-password")
        session.commit()
        yield session
    engine.dispose()


@pytest.fixture
def service(session: Session) -> CaseService:
    service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
    service.open_case(CASE)
    return service


@pytest.fixture
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()


@pytest.fixture
def flow(kb: knowledge.KnowledgeBase, service: CaseService) -> ChecklistFlow:
    from actions.checklist.actions import screen

    return ChecklistFlow(kb, service, fake_answer, screen)
