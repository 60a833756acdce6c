"""Team scoping: cross-team reads and writes are refused and audited."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore.errors import AccessDenied, UnknownTeam
from casestore.models import AuditEvent, Entry
from casestore.service import CaseService

Attempt = Callable[[CaseService, str, int], object]

ATTEMPTS: dict[str, Attempt] = {
    "get_case": lambda s, ref, _: s.get_case(ref),
    "current_answers": lambda s, ref, _: s.current_answers(ref),
    "history": lambda s, ref, _: s.history(ref),
    "summary": lambda s, ref, _: s.summary(ref),
    "flags": lambda s, ref, _: s.flags(ref),
    "export_case": lambda s, ref, _: s.export_case(ref),
    "record_answer": lambda s, ref, _: s.record_answer(ref, "3.4", "previous-history", "no"),
    "record_skip": lambda s, ref, _: s.record_skip(ref, "3.4", "previous-history"),
    "record_note": lambda s, ref, _: s.record_note(ref, "a note"),
    "correct": lambda s, ref, entry_id: s.correct(entry_id, "no"),
    "raise_flag": lambda s, ref, _: s.raise_flag(ref, "inform-police"),
    "close_case": lambda s, ref, _: s.close_case(ref, "closing"),
    "set_progress": lambda s, ref, _: s.set_progress(ref, "3.4", "previous-history"),
    "get_progress": lambda s, ref, _: s.get_progress(ref, "3.4"),
}


@pytest.fixture
def entry_id(alice: CaseService, case_ref: str) -> int:
    return alice.record_answer(case_ref, "3.4", "previous-history", "yes").id


@pytest.mark.parametrize("username", ["bob", "bella"])  # practitioner and admin of Team B
@pytest.mark.parametrize("operation", sorted(ATTEMPTS))
def test_cross_team_access_is_refused_and_audited(
    session: Session, service_for, case_ref: str, entry_id: int, username: str, operation: str
) -> None:
    intruder = service_for(username, "teams")
    with pytest.raises(AccessDenied) as raised:
        ATTEMPTS[operation](intruder, case_ref, entry_id)
    assert "own team" in str(raised.value)
    refusal = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert refusal is not None
    assert (refusal.action, refusal.practitioner_id, refusal.channel) == (
        "refused_cross_team",
        intruder.actor.id,
        "teams",
    )
    assert refusal.case_id is not None
    # nothing was written to the record
    assert [e.id for e in session.scalars(select(Entry))] == [entry_id]


def test_cross_team_list_is_refused_and_audited(session: Session, bob: CaseService, case_ref) -> None:
    with pytest.raises(AccessDenied):
        bob.list_cases(team="Team A")
    assert session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == (
        "refused_cross_team"
    )
    assert bob.list_cases() == []
    with pytest.raises(UnknownTeam):
        bob.list_cases(team="No Such Team")


@pytest.mark.parametrize("username", ["mandy", "ada"])  # manager and admin of Team A
def test_same_team_manager_and_admin_have_access(
    service_for, case_ref: str, entry_id: int, username: str
) -> None:
    colleague = service_for(username)
    assert colleague.current_answers(case_ref)["3.4:previous-history"].id == entry_id
    colleague.correct(entry_id, "no")


def test_inactive_practitioner_is_refused(service_for, case_ref: str) -> None:
    gone = service_for("gone")
    for attempt in (
        lambda: gone.get_case(case_ref),
        lambda: gone.open_case("NW/2026/0200"),
        lambda: gone.list_cases(),
    ):
        with pytest.raises(AccessDenied):
            attempt()


def test_refusal_does_not_leave_partial_work(
    session: Session, service_for, alice: CaseService, case_ref: str, entry_id: int
) -> None:
    bob = service_for("bob")
    with pytest.raises(AccessDenied):
        bob.correct(entry_id, "no")
    alice.record_answer(case_ref, "3.4", "substance-misuse", "no")  # session still usable
    assert len(alice.history(case_ref)) == 2
