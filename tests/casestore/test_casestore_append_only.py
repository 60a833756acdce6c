"""The database itself refuses changes to the record (triggers created by the migrations)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casestore.models import AuditEvent, Entry, Flag
from casestore.service import CaseService

STATEMENTS = {
    ("entries", "UPDATE"): "UPDATE entries SET value = 'no'",
    ("entries", "DELETE"): "DELETE FROM entries",
    ("flags", "UPDATE"): "UPDATE flags SET rule_id = 'other'",
    ("flags", "DELETE"): "DELETE FROM flags",
    ("audit_log", "UPDATE"): "UPDATE audit_log SET action = 'nothing'",
    ("audit_log", "DELETE"): "DELETE FROM audit_log",
    ("cases", "DELETE"): "DELETE FROM cases",
    ("referral_dates", "UPDATE"): "UPDATE referral_dates SET channel = 'other'",
    ("referral_dates", "DELETE"): "DELETE FROM referral_dates",
}


@pytest.fixture
def filled(session: Session, alice: CaseService, case_ref: str) -> Session:
    entry = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    alice.raise_flag(case_ref, "consider-leaving-home", entry.id)
    alice.record_referral_date(case_ref, date(2026, 11, 2))
    return session


@pytest.mark.parametrize(("table", "operation"), sorted(STATEMENTS))
def test_raw_sql_change_is_refused(filled: Session, table: str, operation: str) -> None:
    with pytest.raises(DBAPIError) as raised:
        filled.execute(text(STATEMENTS[(table, operation)]))
    filled.rollback()
    assert "append-only" in str(raised.value)
    assert filled.scalar(select(func.count()).select_from(Entry)) == 1
    assert filled.scalar(select(func.count()).select_from(Flag)) == 1
    assert filled.scalar(select(func.count()).select_from(AuditEvent)) >= 3


def test_orm_update_is_refused(filled: Session) -> None:
    entry = filled.scalars(select(Entry)).one()
    entry.value = "no"
    with pytest.raises(DBAPIError):
        filled.commit()
    filled.rollback()
    assert filled.scalars(select(Entry)).one().value == "yes"


def test_truncate_is_refused_on_postgresql(filled: Session) -> None:
    if filled.get_bind().dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError):
        filled.execute(text("TRUNCATE entries CASCADE"))
    filled.rollback()


def test_checklist_progress_is_mutable(filled: Session, alice: CaseService, case_ref: str) -> None:
    alice.set_progress(case_ref, "3.4", "previous-history")
    filled.execute(text("UPDATE checklist_progress SET cursor_item_id = 'x'"))
    filled.execute(text("DELETE FROM checklist_progress"))
    filled.commit()
