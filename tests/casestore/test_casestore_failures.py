"""No silent loss: database failures raise StoreUnavailable and record nothing; transient
contention ("database is locked") is retried without duplicating the entry."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, exc, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from casestore import db
from casestore.errors import StoreUnavailable
from casestore.models import AuditEvent, Entry
from casestore.service import CaseService


@contextmanager
def failing_inserts(engine: Engine, message: str, times: int) -> Iterator[list[int]]:
    """Make the next `times` INSERTs into entries fail with a DBAPI OperationalError."""
    failures: list[int] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO ENTRIES") and len(failures) < times:
            failures.append(1)
            dbapi_error = engine.dialect.dbapi.OperationalError(message)
            raise exc.OperationalError(statement, parameters, dbapi_error)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield failures
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_database_failure_raises_store_unavailable_and_records_nothing(
    engine: Engine, session: Session, alice: CaseService, case_ref: str
) -> None:
    audit_before = _count(session, AuditEvent)
    with failing_inserts(engine, "disk I/O error", times=100):
        with pytest.raises(StoreUnavailable) as raised:
            alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    assert "nothing was recorded" in str(raised.value)
    assert _count(session, Entry) == 0
    assert _count(session, AuditEvent) == audit_before
    # the service is usable again once the database is
    alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    assert _count(session, Entry) == 1


def test_locked_database_is_retried_without_duplicates(
    engine: Engine, session: Session, alice: CaseService, case_ref: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db, "RETRY_BASE_DELAY_S", 0.001)
    with failing_inserts(engine, "database is locked", times=3) as failures:
        entry = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    assert len(failures) == 3
    assert [e.id for e in session.scalars(select(Entry))] == [entry.id]


def test_retries_are_bounded(
    engine: Engine, alice: CaseService, case_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "RETRY_BASE_DELAY_S", 0.001)
    with failing_inserts(engine, "database is locked", times=1000) as failures:
        with pytest.raises(StoreUnavailable):
            alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    assert len(failures) == db.RETRY_ATTEMPTS
