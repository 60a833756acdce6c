"""A migrated case store with two teams, and a ChecklistFlow for the demo practitioner.

The store is the shared `db_url` (tests/conftest.py): SQLite always, and PostgreSQL too when CI
names one, so the checklist flow is exercised on both databases the case store supports."""
from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy.orm import Session

import knowledge
from actions.checklist.flow import ChecklistFlow
from checklist_support import CASE, fake_answer
from casestore import accounts
from casestore.db import make_engine, make_session_factory
from casestore.service import CaseService


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
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
