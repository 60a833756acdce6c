"""Read-only views the case service returns (plain frozen dataclasses, safe to keep after the
session closes)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CaseInfo:
    reference: str
    team: str
    status: str  # "open" | "closed", derived from status entries
    opened_at: datetime
    opened_by: str  # username
    referral_date: date | None
    closed_at: datetime | None


@dataclass(frozen=True)
class ReferralDateInfo:
    """One statement of a case's referral date: what was recorded, by whom, when and how."""

    referral_date: date
    recorded_by: str  # username
    channel: str
    recorded_at: datetime
    current: bool  # the latest statement (earlier ones were corrected by a later one)


@dataclass(frozen=True)
class CurrentAnswer:
    """The current (latest in its correction chain) entry for one checklist item."""

    entry_id: int
    kind: str  # answer | judgement | skip
    value: str | None
    recorded_at: datetime
    is_correction: bool  # this entry corrects an earlier one (which stays in the history)
    note: str | None = None  # the note recorded with the answer (the evidence behind it)
    reasoning: str | None = None  # a judgement's reasoning
    recorded_by: str | None = None  # username of whoever recorded this (current) entry


@dataclass(frozen=True)
class CaseSummary:
    case: CaseInfo
    answers: dict[str, dict[str, CurrentAnswer]]  # checklist id -> item id -> current answer
    flags: list[str]  # rule ids, in the order raised
    entry_count: int
    last_recorded_at: datetime | None


@dataclass(frozen=True)
class ProgressInfo:
    """Where a practitioner is in an unfinished checklist."""

    reference: str
    checklist_id: str
    cursor_item_id: str
    updated_at: datetime
