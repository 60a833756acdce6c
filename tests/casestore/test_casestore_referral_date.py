"""A case's referral date can be recorded or corrected after opening: append-only (the latest
row is current, earlier values stay), audited, never in the future, same-team only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casestore.db import alembic_config, migrate
from casestore.errors import AccessDenied, CaseClosed, InvalidEntry
from casestore.models import AuditEvent, Case, Practitioner, ReferralDate
from casestore.service import CaseService


def audit_details(session: Session, action: str) -> list[str | None]:
    return list(session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_record_then_correct_keeps_the_old_value(
    session: Session, alice: CaseService, service_for, case_ref: str
) -> None:
    assert alice.get_case(case_ref).referral_date is None
    first = alice.record_referral_date(case_ref, date(2026, 11, 20))
    assert first.referral_date == date(2026, 11, 20)
    corrected = service_for("mandy", "teams").record_referral_date(case_ref, date(2026, 11, 2))
    assert corrected.referral_date == date(2026, 11, 2)
    assert alice.get_case(case_ref).referral_date == date(2026, 11, 2)
    assert [c.referral_date for c in alice.list_cases()] == [date(2026, 11, 2)]
    history = alice.referral_date_history(case_ref)
    assert [(h.referral_date, h.recorded_by, h.channel, h.current) for h in history] == [
        (date(2026, 11, 20), "alice", "web", False),
        (date(2026, 11, 2), "mandy", "teams", True),
    ]
    assert history[0].recorded_at <= history[1].recorded_at
    assert audit_details(session, "record_referral_date") == [
        "referral date 2026-11-20 (was none)", "referral date 2026-11-02 (was 2026-11-20)"]


def test_opening_with_a_date_starts_the_history(alice: CaseService) -> None:
    alice.open_case("NW/2026/0030", referral_date=date(2026, 10, 1))
    history = alice.referral_date_history("NW/2026/0030")
    assert [(h.referral_date, h.recorded_by, h.current) for h in history] == [
        (date(2026, 10, 1), "alice", True)]


def test_recording_the_same_date_again_adds_nothing(
    session: Session, alice: CaseService, case_ref: str
) -> None:
    alice.record_referral_date(case_ref, date(2026, 11, 20))
    alice.record_referral_date(case_ref, date(2026, 11, 20))
    assert len(alice.referral_date_history(case_ref)) == 1


def test_future_and_non_dates_are_refused(alice: CaseService, case_ref: str) -> None:
    with pytest.raises(InvalidEntry, match="cannot be in the future"):
        alice.record_referral_date(case_ref, date.today() + timedelta(days=1))
    with pytest.raises(InvalidEntry):
        alice.record_referral_date(case_ref, "2026-11-20")  # type: ignore[arg-type]
    assert alice.referral_date_history(case_ref) == []
    assert alice.record_referral_date(case_ref, date.today()).referral_date == date.today()


def test_another_team_is_refused_and_audited(
    session: Session, bob: CaseService, alice: CaseService, case_ref: str
) -> None:
    with pytest.raises(AccessDenied):
        bob.record_referral_date(case_ref, date(2026, 11, 1))
    assert alice.get_case(case_ref).referral_date is None
    assert len(audit_details(session, "refused_cross_team")) == 1


def test_a_closed_case_is_refused(alice: CaseService, case_ref: str) -> None:
    alice.close_case(case_ref, "no further action")
    with pytest.raises(CaseClosed):
        alice.record_referral_date(case_ref, date(2026, 11, 1))


def test_the_history_cannot_be_rewritten(session: Session, alice: CaseService, case_ref: str) -> None:
    alice.record_referral_date(case_ref, date(2026, 11, 20))
    for statement in ("UPDATE referral_dates SET referral_date = '2026-01-01'",
                      "DELETE FROM referral_dates"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert alice.get_case(case_ref).referral_date == date(2026, 11, 20)


def test_export_lists_every_referral_date(alice: CaseService, case_ref: str) -> None:
    alice.record_referral_date(case_ref, date(2026, 11, 20))
    alice.record_referral_date(case_ref, date(2026, 11, 2))
    record = alice.export_case(case_ref)
    assert record["case"]["referral_date"] == "2026-11-02"
    assert [(r["referral_date"], r["practitioner"], r["current"])
            for r in record["referral_dates"]] == [
        ("2026-11-20", "alice", False), ("2026-11-02", "alice", True)]


def test_migration_copies_dates_given_at_opening(
    db_url: str, session: Session, people: dict[str, Practitioner]
) -> None:
    """Cases opened before 0005 keep their referral date, as a first row of the history that
    names who opened the case, when, and the channel of its open_case audit row."""
    command.downgrade(alembic_config(db_url), "0004_induction")
    alice = people["alice"]
    dated = Case(reference="NW/2026/0040", team_id=alice.team_id, opened_by_id=alice.id,
                 referral_date=date(2026, 9, 1))
    undated = Case(reference="NW/2026/0041", team_id=alice.team_id, opened_by_id=alice.id)
    session.add_all([dated, undated])
    session.flush()
    session.add(AuditEvent(action="open_case", channel="teams", case_id=dated.id,
                           practitioner_id=alice.id))
    session.commit()
    migrate(db_url)
    rows = session.scalars(select(ReferralDate)).all()
    assert [(r.case_id, r.referral_date, r.practitioner_id, r.channel) for r in rows] == [
        (dated.id, date(2026, 9, 1), alice.id, "teams")]
    assert rows[0].recorded_at == dated.opened_at
    service = CaseService(session, alice, "web")
    assert service.get_case("NW/2026/0040").referral_date == date(2026, 9, 1)
    assert service.get_case("NW/2026/0041").referral_date is None
