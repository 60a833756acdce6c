"""summary() of a case with 10 000 entries must stay fast (target <= 50 ms on SQLite)."""
from __future__ import annotations

import time

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casestore.models import Case, Entry
from casestore.service import CaseService

ENTRIES = 10_000
CHECKLISTS = ["3.1", "3.4", "6.2", "7.3", "7.4", "10.9", "10.11", "10.13", "11.1", "12.2"]
ITEMS_PER_CHECKLIST = 20


def test_summary_of_10000_entries(session: Session, alice: CaseService, case_ref: str) -> None:
    case_id = session.scalar(select(Case.id).where(Case.reference == case_ref))
    rows = []
    for n in range(ENTRIES):
        checklist = CHECKLISTS[n % len(CHECKLISTS)]
        kind = "note" if n % 47 == 0 else "answer"
        rows.append(
            {
                "case_id": case_id,
                "kind": kind,
                "checklist_id": checklist,
                "item_id": f"item-{(n // len(CHECKLISTS)) % ITEMS_PER_CHECKLIST}",
                "value": ("yes", "no", "not known")[n % 3],
                "channel": "web",
                "practitioner_id": alice.actor.id,
            }
        )
    session.execute(insert(Entry), rows)
    session.commit()
    alice.raise_flag(case_ref, "consider-leaving-home")

    alice.summary(case_ref)  # warm caches (statement compilation, connection)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        summary = alice.summary(case_ref)
        timings.append((time.perf_counter() - started) * 1000)
    best, worst = min(timings), max(timings)
    print(
        f"\nsummary() with {ENTRIES} entries on {session.get_bind().dialect.name}: "
        f"best {best:.1f} ms, worst {worst:.1f} ms"
    )
    assert summary.entry_count == ENTRIES
    answered = {(r["checklist_id"], r["item_id"]) for r in rows if r["kind"] == "answer"}
    assert {(c, i) for c, items in summary.answers.items() for i in items} == answered
    assert summary.flags == ["consider-leaving-home"]
    assert best < 500
