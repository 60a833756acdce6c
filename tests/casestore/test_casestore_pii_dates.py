"""A date in a note is reported only when it reads as a date of birth: after a cue ("DOB",
"born", "date of birth", "d.o.b") or with a year well in the past. Event dates are not."""
from __future__ import annotations

from datetime import date

import pytest

from casestore.pii import describe, screen

THIS_YEAR = date.today().year
LAST_YEAR = THIS_YEAR - 1
LONG_AGO = THIS_YEAR - 12

EVENT_DATES = [
    f"yes - seen 12/03/{THIS_YEAR}",
    f"yes - partner told the police on 12/03/{THIS_YEAR}",
    "yes - police disclosure 3 May",
    "on 3 May",
    f"strategy meeting held 3rd March {THIS_YEAR}",
    f"visited {THIS_YEAR}-03-12",
    f"checks back 1/12/{LAST_YEAR}",
    f"PNC checked 12-03-{str(THIS_YEAR)[2:]}",
]

BIRTH_DATES = [  # a label just before the date ("DOB", "date of birth") is part of the detail
    (f"DOB 12/03/{THIS_YEAR}", f"DOB 12/03/{THIS_YEAR}"),
    (f"dob: 12/03/{LAST_YEAR}", f"dob: 12/03/{LAST_YEAR}"),
    (f"d.o.b 12/03/{THIS_YEAR}", f"d.o.b 12/03/{THIS_YEAR}"),
    (f"D.O.B. 1/3/{str(THIS_YEAR)[2:]}", f"D.O.B. 1/3/{str(THIS_YEAR)[2:]}"),
    (f"date of birth 12 March {THIS_YEAR}", f"date of birth 12 March {THIS_YEAR}"),
    (f"baby born on 2nd Jan {THIS_YEAR}", f"2nd Jan {THIS_YEAR}"),  # "born" is a word of the sentence
    ("dob 3 May", "dob 3 May"),
    (f"the boy, 12/03/{LONG_AGO}, lives with mum", f"12/03/{LONG_AGO}"),
    (f"12 March {LONG_AGO}", f"12 March {LONG_AGO}"),
]


@pytest.mark.parametrize("text", EVENT_DATES)
def test_event_dates_are_not_called_dates_of_birth(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(("text", "found"), BIRTH_DATES)
def test_dates_that_read_as_dates_of_birth_are_found(text: str, found: str) -> None:
    assert [(f.kind, f.text) for f in screen(text)] == [("date", found)]


def test_the_label_reads_without_doubled_brackets() -> None:
    findings = screen(f"DOB 12/03/{THIS_YEAR}")
    assert describe(findings) == "a possible date of birth"
    assert f"personal details ({describe(findings)})".count("(") == 1


def test_an_event_date_beside_other_details_is_left_out() -> None:
    text = f"yes - partner told Mr Jones on 12/03/{THIS_YEAR}, tel 07700 900123"
    assert [f.kind for f in screen(text)] == ["titled_name", "phone"]
