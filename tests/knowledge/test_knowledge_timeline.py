"""Statutory timeline arithmetic: working days skip weekends and Wales bank holidays; months
are calendar months."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import knowledge
from knowledge.timeline import add_months, add_working_days, describe, timeline

ROOT = Path(__file__).resolve().parents[2]


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


def test_an_interval_names_its_starting_event_with_one_article() -> None:
    kb = knowledge.load()
    intervals = {e.timescale.id: e.interval for e in timeline(kb.timescales, {"referral": None})}
    # timescales.yml writes this starting event with its article ("the start of the work")
    assert intervals["safeguards-at-start"].startswith("no fixed interval after the start of the work")
    assert intervals["comprehensive-assessment-42-working-days"] == "42 working days after the referral"
    assert intervals["start-on-referral-day"] == "on the day of the referral"
    assert all("the the" not in interval.lower() for interval in intervals.values())
    assert describe(None, "The start of the work") == "no fixed interval after The start of the work"
    assert describe(None, "therapy") == "no fixed interval after the therapy"  # a word, not the article


def test_the_action_server_counts_timescales_without_the_web_app() -> None:
    """The chat's timescales (actions/cases.py) and the case page share knowledge/timeline.py; the
    action server imports every module of `actions`, and none of it may pull in Flask."""
    code = ("import importlib, pkgutil, sys, actions, actions.cases\n"
            "for m in pkgutil.walk_packages(actions.__path__, 'actions.'): importlib.import_module(m.name)\n"
            "actions.cases.timescales_text('NW/2026/0012', __import__('datetime').date(2026, 11, 20))\n"
            "print(sorted(n for n in sys.modules if n == 'flask' or n.startswith(('flask.', 'channels.web'))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
