"""Induction (learning) progress: a practitioner's place in the protocol tour, and their quiz answers.

Personal learning state, not part of any case record and not an assessment of anyone: only the
practitioner it belongs to reads it (there is no team or manager view). The tour position is
mutable working state; quiz answers are append-only (database triggers, migration 0004).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, case, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import unit_of_work
from .models import Base, Practitioner
from .timeutil import UTCDateTime, now_utc, utc_now

MAX_QUESTION_ID = 160
MAX_ANSWER = 500


class InductionProgress(Base):
    """Where a practitioner is in the tour, and which quiz round they are on (one row each)."""

    __tablename__ = "induction_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"), unique=True)
    stop_index: Mapped[int] = mapped_column(Integer, default=0)
    stop_id: Mapped[str | None] = mapped_column(String(64))
    tour_finished: Mapped[bool] = mapped_column(Boolean, default=False)
    quiz_attempt: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=utc_now(), onupdate=utc_now()
    )


class QuizAnswer(Base):
    """One answer to one quiz question (append-only)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        Index("ix_quiz_answers_practitioner_attempt", "practitioner_id", "attempt", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    attempt: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(MAX_QUESTION_ID))
    answer: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())


@dataclass(frozen=True)
class TourPosition:
    stop_index: int
    stop_id: str | None
    finished: bool


@dataclass(frozen=True)
class QuizTally:
    attempt: int            # the current quiz round, from 1
    answered: int           # all rounds
    right: int
    answered_in_attempt: int
    right_in_attempt: int


class InductionService:
    """One practitioner's own induction progress. Each public method is one unit of work."""

    kept = True  # progress outlives the conversation (anonymous users get an unkept stand-in)

    def __init__(self, session: Session, practitioner: Practitioner) -> None:
        self.session = session
        self.practitioner_id = practitioner.id

    @unit_of_work("Reading your place in the induction")
    def position(self) -> TourPosition | None:
        row = self._row()
        if row is None or row.stop_id is None:
            return None
        return TourPosition(row.stop_index, row.stop_id, row.tour_finished)

    @unit_of_work("Saving your place in the induction")
    def move_to(self, stop_index: int, stop_id: str, finished: bool = False) -> None:
        row = self._row(create=True)
        row.stop_index, row.stop_id, row.tour_finished = stop_index, stop_id, finished
        row.updated_at = now_utc()

    @unit_of_work("Starting a quiz round")
    def start_attempt(self, attempt: int) -> None:
        row = self._row(create=True)
        row.quiz_attempt = attempt
        row.updated_at = now_utc()

    @unit_of_work("Saving your quiz answer")
    def record_answer(self, attempt: int, question_id: str, answer: str, correct: bool) -> None:
        self.session.add(QuizAnswer(practitioner_id=self.practitioner_id, attempt=attempt,
                                    question_id=question_id[:MAX_QUESTION_ID],
                                    answer=answer[:MAX_ANSWER], correct=correct))

    @unit_of_work("Reading your quiz answers")
    def tally(self) -> QuizTally:
        row = self._row()
        attempt = row.quiz_attempt if row is not None else 1
        mine = QuizAnswer.practitioner_id == self.practitioner_id
        right = func.coalesce(func.sum(case((QuizAnswer.correct, 1), else_=0)), 0)
        answered, total_right = self.session.execute(
            select(func.count(QuizAnswer.id), right).where(mine)).one()
        in_attempt, right_in_attempt = self.session.execute(
            select(func.count(QuizAnswer.id), right).where(mine, QuizAnswer.attempt == attempt)).one()
        return QuizTally(attempt, answered, int(total_right), in_attempt, int(right_in_attempt))

    def _row(self, create: bool = False) -> InductionProgress | None:
        row = self.session.scalar(
            select(InductionProgress).where(InductionProgress.practitioner_id == self.practitioner_id))
        if row is None and create:
            row = InductionProgress(practitioner_id=self.practitioner_id, stop_index=0,
                                    tour_finished=False, quiz_attempt=1)
            self.session.add(row)
        return row
