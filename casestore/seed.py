"""Demo data for development: two teams, two practitioners, one case. Idempotent."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import accounts
from .models import Case, Practitioner, Team
from .service import CaseService

DEMO_TEAM = "Demo Team"
OTHER_TEAM = "Other Team"
DEMO_USER = "demo"
OTHER_USER = "other"
DEMO_CASE = "NW/2026/0012"
DEFAULT_DEMO_PASSWORD = "demo-password-change-me"


@dataclass(frozen=True)
class DemoSeed:
    password: str
    created: list[str]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def has_practitioners(session: Session) -> bool:
    return session.scalar(select(Practitioner.id).limit(1)) is not None


def seed_demo(session: Session) -> DemoSeed:
    """Create (or refresh) the demo teams, users and case; commits."""
    password = demo_password()
    created: list[str] = []
    for team_name, username in ((DEMO_TEAM, DEMO_USER), (OTHER_TEAM, OTHER_USER)):
        if session.scalar(select(Team).where(Team.name == team_name)) is None:
            accounts.create_team(session, team_name)
            created.append(f"team {team_name}")
        if session.scalar(select(Practitioner).where(Practitioner.username == username)) is None:
            accounts.add_practitioner(session, username, team_name, password)
            created.append(f"practitioner {username}")
        else:  # keep the printed password true
            accounts.set_password(session, username, password)
    session.commit()
    if session.scalar(select(Case).where(Case.reference == DEMO_CASE)) is None:
        demo = accounts.get_practitioner(session, DEMO_USER)
        CaseService(session, demo, "cli").open_case(DEMO_CASE, referral_date=date.today())
        created.append(f"case {DEMO_CASE}")
    return DemoSeed(password=password, created=created)
