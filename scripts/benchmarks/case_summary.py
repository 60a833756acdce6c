"""Time CaseService.summary on a case with many entries, in a temporary SQLite store built by the migrations."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from casestore.db import make_engine, make_session_factory, migrate
from casestore.models import Case, ChannelIdentity, Entry, Practitioner, Team
from casestore.service import CaseService

CHECKLISTS = ("3.1", "3.4", "6.2", "7.3", "7.4", "10.9", "10.11", "10.13", "11.1", "12.2")
ITEMS_PER_CHECKLIST = 20
CASE = "NW/2026/0042"


def entry_rows(case_id: int, practitioner_id: int, count: int) -> list[dict[str, Any]]:
    """Answers (and every 47th a note) spread over 10 checklists x 20 items, so most are superseded."""
    return [{
        "case_id": case_id,
        "kind": "note" if n % 47 == 0 else "answer",
        "checklist_id": CHECKLISTS[n % len(CHECKLISTS)],
        "item_id": f"item-{(n // len(CHECKLISTS)) % ITEMS_PER_CHECKLIST}",
        "value": ("yes", "no", "not known")[n % 3],
        "channel": "web",
        "practitioner_id": practitioner_id,
    } for n in range(count)]


def time_summary(entries: int = 10_000, repeats: int = 5) -> dict[str, Any]:
    """Best and median of `repeats` timed summary() calls (after one warm-up call), in ms."""
    with tempfile.TemporaryDirectory(prefix="iioc-bench-summary-") as folder:
        url = f"sqlite:///{Path(folder) / 'casestore.db'}"
        migrate(url)
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                person = Practitioner(username="bench", team=Team(name="Bench Team"), role="practitioner", active=True)
                person.identities.append(ChannelIdentity(idp="web", external_id="bench", tenant_id=""))
                session.add(person)
                session.commit()
                service = CaseService(session, person, "web")
                service.open_case(CASE)
                case_id = session.scalar(select(Case.id).where(Case.reference == CASE))
                session.execute(insert(Entry), entry_rows(case_id, person.id, entries))
                session.commit()
                service.raise_flag(CASE, "consider-leaving-home")
                service.summary(CASE)  # warm-up: statement compilation, connection
                timings = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    summary = service.summary(CASE)
                    timings.append((time.perf_counter() - started) * 1000)
        finally:
            engine.dispose()
    if summary.entry_count != entries:
        raise AssertionError(f"summary counted {summary.entry_count} entries, {entries} were inserted")
    return {"entries": entries, "repeats": repeats, "best_ms": round(min(timings), 2),
            "median_ms": round(statistics.median(timings), 2), "current_answers":
            sum(len(items) for items in summary.answers.values())}
