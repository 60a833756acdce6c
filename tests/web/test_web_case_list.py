"""The team's case list shows, per case, the flags its current answers raise and its checklist
progress, and can be filtered (all, open, closed, with flags)."""
from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casestore import accounts
from casestore.service import CaseService
from channels.web.database import session_factory

FLAGGED, QUIET, CLOSED = "NW/2026/0012", "NW/2026/0101", "NW/2026/0102"


@pytest.fixture()
def cases(app: Flask) -> None:
    with session_factory(app)() as db:
        service = CaseService(db, accounts.get_practitioner(db, "demo"), "web")
        service.record_answer(FLAGGED, "3.4", "previous-history", "yes")  # a 3.4 factor present
        service.record_answer(FLAGGED, "3.4", "previous-contact-abuse", "no")
        service.open_case(QUIET)
        service.record_answer(QUIET, "3.4", "previous-history", "no")
        service.open_case(CLOSED)
        service.close_case(CLOSED, "no further action")


def row(html: str, reference: str) -> str:
    return next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{reference}</a>" in r)


def references(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/cases/[^"]+">([^<]+)</a>', html)


def test_each_case_shows_its_flags_and_progress(demo: FlaskClient, cases: None) -> None:
    html = demo.get("/cases").get_data(as_text=True)
    flagged = row(html, FLAGGED)
    assert re.search(r">\d+ to consider</a>", flagged)
    assert "3.4: 2 of 9" in flagged
    quiet = row(html, QUIET)
    assert "none</span>" in quiet and "3.4: 1 of 9" in quiet
    assert "none started" in row(html, CLOSED)


@pytest.mark.parametrize(("show", "expected"), [
    ("all", [FLAGGED, QUIET, CLOSED]),
    ("open", [FLAGGED, QUIET]),
    ("closed", [CLOSED]),
    ("flagged", [FLAGGED]),
    ("nonsense", [FLAGGED, QUIET, CLOSED]),
])
def test_the_filter(demo: FlaskClient, cases: None, show: str, expected: list[str]) -> None:
    html = demo.get(f"/cases?show={show}").get_data(as_text=True)
    assert sorted(references(html)) == sorted(expected)
    assert '<label for="show">Show</label>' in html


def test_nothing_matching_says_so(demo: FlaskClient) -> None:
    html = demo.get("/cases?show=closed").get_data(as_text=True)
    assert "No case matches" in html and 'href="/cases"' in html
