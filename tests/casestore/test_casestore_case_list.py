"""list_case_summaries: every case of the actor's team summarised as summary() would, in a
fixed number of queries, audited once."""
from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from casestore.models import AuditEvent
from casestore.service import CaseService


def test_summaries_match_each_case_summary(
    session: Session, alice: CaseService, bob: CaseService, case_ref: str
) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes", note="n")
    alice.correct(first.id, "no", note="checked")
    alice.raise_flag(case_ref, "consider-leaving-home", first.id)
    alice.open_case("NW/2026/0013")
    bob.open_case("NW/2026/0050")
    listed = {s.case.reference: s for s in alice.list_case_summaries()}
    assert sorted(listed) == [case_ref, "NW/2026/0013"]  # own team only
    for reference, summary in listed.items():
        assert summary == alice.summary(reference)
    assert listed["NW/2026/0013"].entry_count == 0


def test_summaries_take_a_fixed_number_of_queries(
    session: Session, alice: CaseService
) -> None:
    for n in range(20):
        reference = f"NW/2026/{n + 100:04d}"
        alice.open_case(reference)
        alice.record_answer(reference, "3.4", "previous-history", "no")
    statements: list[str] = []
    event.listen(session.get_bind(), "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    alice.list_case_summaries()
    assert len(statements) <= 12
    details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "list_cases"))
    assert list(details) == ["20 case summaries"]
