"""The statutory timeline of a case: the protocol's timescales (kb.timescales) with dates where
the case record holds the date they run from.

Working days skip weekends and bank holidays in Wales; months are calendar months (31 January
+ 1 month = 28/29 February).

The one reckoning of timescales: the web app's case page (channels/web/cases.py) and the chat
(actions/cases.py) both use it. It needs only the knowledge model and `holidays` (app
environment), never Flask, so the action server can import it.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from knowledge.model import Offset, Timescale

# The protocol does not say when the 42 working days run from; 3.8 says best practice is to
# begin the assessment on the day of referral, so the page counts it from the referral date
# and says so.
COUNTED_FROM_REFERRAL = {"comprehensive-assessment-42-working-days"}


@dataclass(frozen=True)
class TimelineEntry:
    timescale: Timescale
    due: date | None
    interval: str       # "42 working days after the referral", "no fixed interval"
    anchor_note: str    # why there is (or is not) a date


def wales_bank_holidays(years: range) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="WLS", years=years)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends and Wales bank holidays skipped)."""
    closed = wales_bank_holidays(range(start.year, start.year + 2 + days // 200))
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            days -= 1
    return current


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(start: date, offset: Offset) -> date:
    if offset.unit == "working_days":
        return add_working_days(start, offset.amount)
    if offset.unit == "months":
        return add_months(start, offset.amount)
    return start + timedelta(days=offset.amount)


def describe(offset: Offset | None, anchor: str) -> str:
    """ "42 working days after the referral"; an anchor already written with its article
    ("the start of the work") does not get a second one."""
    the = "" if re.match(r"the\b", anchor, re.I) else "the "
    if offset is None:
        return f"no fixed interval after {the}{anchor}"
    unit = offset.unit.replace("_", " ")
    if offset.amount == 0:
        return f"on the day of {the}{anchor}"
    if offset.amount == 1:
        unit = unit.rstrip("s")
    return f"{offset.amount} {unit} after {the}{anchor}"


def timeline(timescales: list[Timescale], anchors: dict[str, date | None]) -> list[TimelineEntry]:
    """Each timescale with its due date when its starting event's date is in `anchors`."""
    entries = []
    for scale in timescales:
        anchor_name = "referral" if scale.id in COUNTED_FROM_REFERRAL else scale.from_
        start = anchors.get(anchor_name)
        if scale.offset is None:
            note = "The protocol sets no fixed interval, so there is no date."
            due = None
        elif start is None:
            note = f"The case record has no date for the {anchor_name}, so there is no date."
            due = None
        else:
            due = due_date(start, scale.offset)
            note = f"Counted from the {anchor_name} on {start:%-d %B %Y}."
            if scale.id in COUNTED_FROM_REFERRAL:
                note += (" The protocol does not say when this runs from; 3.8 says best practice "
                         "is to begin the assessment on the day of referral.")
        entries.append(TimelineEntry(scale, due, describe(scale.offset, anchor_name), note))
    return entries
