"""SQLAlchemy 2.x typed models of the case record.

No personal details of children or families are stored in structured fields: a case is known
only by its reference. Entries, flags and the audit log are append-only (enforced by database
triggers created in the migrations); checklist progress is mutable working state.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .timeutil import UTCDateTime, utc_now

ROLES = ("practitioner", "manager", "admin")
IDPS = ("web", "teams")
ENTRY_KINDS = ("answer", "judgement", "skip", "note", "status")
ANSWER_KINDS = ("answer", "judgement", "skip")  # kinds that make up the current view
CASE_STATUSES = ("open", "closed")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())

    def __repr__(self) -> str:
        return f"Team({self.name!r})"


class Practitioner(Base):
    __tablename__ = "practitioners"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="practitioner")
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())

    team: Mapped[Team] = relationship(lazy="joined")
    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="practitioner")

    def __repr__(self) -> str:
        return f"Practitioner({self.username!r}, role={self.role!r})"


class ChannelIdentity(Base):
    """How a channel names a practitioner: web login name, or Teams AAD object id + tenant."""

    __tablename__ = "channel_identities"
    __table_args__ = (
        CheckConstraint(_in("idp", IDPS), name="idp"),
        UniqueConstraint("idp", "external_id", "tenant_id", name="uq_channel_identities_claim"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"), index=True)
    idp: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[str] = mapped_column(String(255), default="")  # "" for web
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())

    practitioner: Mapped[Practitioner] = relationship(back_populates="identities")


class Case(Base):
    """A case, known only by its reference. Status is derived from `status` entries."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())
    # As given when the case was opened (never changed); the current referral date is the
    # latest ReferralDate row (migration 0005 copied this value into that table).
    referral_date: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team] = relationship(lazy="joined")
    opened_by: Mapped[Practitioner] = relationship()

    def __repr__(self) -> str:
        return f"Case({self.reference!r})"


class ReferralDate(Base):
    """One statement of a case's referral date (append-only): the latest row is current, a
    correction is a new row, and earlier rows stay as the history of who set it and when."""

    __tablename__ = "referral_dates"
    __table_args__ = (Index("ix_referral_dates_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    referral_date: Mapped[date] = mapped_column(Date)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    channel: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())

    practitioner: Mapped[Practitioner] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"ReferralDate({self.case_id}, {self.referral_date})"


class Entry(Base):
    """One append-only statement on a case: an answer, judgement, skip, note or status change.

    A correction is a new entry whose `corrects_entry_id` points at the entry it replaces;
    an entry can be corrected at most once, so correction chains are linear.
    """

    __tablename__ = "entries"
    __table_args__ = (
        CheckConstraint(_in("kind", ENTRY_KINDS), name="kind"),
        CheckConstraint(
            "kind IN ('note', 'status') OR (checklist_id IS NOT NULL AND item_id IS NOT NULL)",
            name="item_required",
        ),
        CheckConstraint("kind <> 'judgement' OR reasoning IS NOT NULL", name="judgement_reasoning"),
        CheckConstraint(
            f"kind <> 'status' OR ({_in('value', CASE_STATUSES)})", name="status_value"
        ),
        Index("ix_entries_case_item", "case_id", "checklist_id", "item_id", "id"),
        Index("ix_entries_case_kind", "case_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))
    checklist_id: Mapped[str | None] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    reasoning: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())
    corrects_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("entries.id"), unique=True
    )

    practitioner: Mapped[Practitioner] = relationship()
    corrects: Mapped[Entry | None] = relationship(remote_side=[id])

    @property
    def full_item_id(self) -> str | None:
        """`"<checklist id>:<item id>"`, as in the knowledge schema."""
        if self.checklist_id is None or self.item_id is None:
            return None
        return f"{self.checklist_id}:{self.item_id}"

    def __repr__(self) -> str:
        return f"Entry({self.id}, {self.kind}, {self.full_item_id}, {self.value!r})"


class Flag(Base):
    """A flag rule (knowledge/data/flags.yml) raised on a case: who, when, and by which entry."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("case_id", "rule_id", name="uq_flags_case_rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    rule_id: Mapped[str] = mapped_column(String(64))
    raised_by_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    channel: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())

    def __repr__(self) -> str:
        return f"Flag({self.rule_id!r}, entry={self.raised_by_entry_id})"


class AuditEvent(Base):
    """Append-only audit log: who did what to which case, through which channel."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=utc_now())
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioners.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    action: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"AuditEvent({self.action!r}, case={self.case_id}, by={self.practitioner_id})"


class ChecklistProgress(Base):
    """Where a practitioner is in a checklist on a case (working state, not a record)."""

    __tablename__ = "checklist_progress"
    __table_args__ = (
        UniqueConstraint(
            "case_id", "checklist_id", "practitioner_id", name="uq_checklist_progress_cursor"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    checklist_id: Mapped[str] = mapped_column(String(64))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    cursor_item_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=utc_now(), onupdate=utc_now()
    )


# Tables kept in their own modules register on Base when imported; importing them here means
# Base.metadata (Alembic's target, the schema tests) always describes the whole schema.
from . import induction, websession  # noqa: E402,F401  (after Base: they import it)
