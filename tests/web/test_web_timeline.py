"""Statutory timeline arithmetic: working days skip weekends and Wales bank holidays; months
are calendar months."""
from __future__ import annotations

from datetime import date

import knowledge
from channels.web.timeline import add_months, add_working_days, timeline


def test_working_days_skip_weekends_and_wales_bank_holidays() -> None:
    # Christmas Day, the weekend, Boxing Day (observed on Monday 28th)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Good Friday and Easter Monday
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)  # late summer bank holiday
    assert add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)  # St David's Day is not a bank holiday
    assert add_working_days(date(2026, 12, 1), 42) == date(2027, 2, 2)


def test_months_are_calendar_months() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 1, 31), 9) == date(2026, 10, 31)


def test_dates_only_where_the_starting_date_is_known() -> None:
    kb = knowledge.load()
    entries = {e.timescale.id: e for e in timeline(kb.timescales, {"referral": date(2026, 12, 1)})}
    assert entries["start-on-referral-day"].due == date(2026, 12, 1)
    assert entries["comprehensive-assessment-42-working-days"].due == date(2027, 2, 2)
    assert "does not say when this runs from" in entries["comprehensive-assessment-42-working-days"].anchor_note
    assert entries["assessments-by-first-review"].due is None  # no initial conference date
    for entry in entries.values():
        if entry.timescale.offset is None:
            assert entry.due is None
    no_referral = timeline(kb.timescales, {"referral": None})
    assert all(e.due is None for e in no_referral)
