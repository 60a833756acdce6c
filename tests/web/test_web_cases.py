"""Case pages, scoped to the practitioner's team through CaseService: recorded answers,
corrections in the history, flags with their paragraphs, what is missing, the timeline."""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casestore import accounts
from casestore.models import AuditEvent
from casestore.service import CaseService
from channels.web.database import session_factory
from web_support import login

CASE = "NW/2026/0012"
EXPORTS = ["/export.json", "/export/strategy-meeting.docx", "/export/appendix-7.docx"]


@pytest.fixture()
def recorded(app: Flask) -> dict[str, int]:
    """Answers on the demo case: one corrected, one a flag-raising yes, one Appendix 7 part."""
    with session_factory(app)() as db:
        service = CaseService(db, accounts.get_practitioner(db, "demo"), "web")
        first = service.record_answer(CASE, "3.4", "previous-history", "no", note="first look")
        correction = service.correct(first.id, "yes", note="police disclosure")
        service.record_answer(CASE, "3.4", "previous-contact-abuse", "no")
        service.record_answer(CASE, "appendix-7", "reason-for-assessment", "Referral from police")
        service.record_skip(CASE, "3.4", "images-of-own-children")
        return {"first": first.id, "correction": correction.id}


def other_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert login(client, username="other").status_code == 302
    return client


def test_team_case_list(app: Flask, demo: FlaskClient) -> None:
    assert f'href="/cases/{CASE}"' in demo.get("/cases").get_data(as_text=True)
    assert CASE not in other_client(app).get("/cases").get_data(as_text=True).split('<main')[1]


@pytest.mark.parametrize("suffix", ["", *EXPORTS])
def test_cross_team_access_is_refused_and_audited(app: Flask, suffix: str) -> None:
    response = other_client(app).get(f"/cases/{CASE}{suffix}")
    assert response.status_code == 404
    assert f"{CASE} is not a case your team can see" in response.get_data(as_text=True)
    with session_factory(app)() as db:
        refused = db.scalars(select(AuditEvent).where(AuditEvent.action == "refused_cross_team")).all()
    assert len(refused) == 1


def test_unknown_and_malformed_references_read_the_same(demo: FlaskClient) -> None:
    unknown = demo.get("/cases/NW/2026/9999")
    assert unknown.status_code == 404
    assert "NW/2026/9999 is not a case your team can see" in unknown.get_data(as_text=True)
    assert demo.get("/cases/XX/abc/1").status_code == 404


def test_lower_case_reference_is_the_same_case(demo: FlaskClient) -> None:
    assert demo.get("/cases/nw/2026/0012").status_code == 200


def test_recorded_answers_per_checklist(demo: FlaskClient, recorded: dict[str, int]) -> None:
    html = demo.get(f"/cases/{CASE}").get_data(as_text=True)
    answers = html[html.index('id="answers"'):html.index('id="missing"')]
    assert "3.4 — Early significant-harm factors" in answers and "(2 of 9 recorded)" in answers
    assert re.search(r"Previous history.*?<span class=\"answer\">yes</span>.*?corrected", answers, re.S)
    assert "Referral from police" in answers


def test_history_shows_corrections(demo: FlaskClient, recorded: dict[str, int]) -> None:
    html = demo.get(f"/cases/{CASE}").get_data(as_text=True)
    first, correction = recorded["first"], recorded["correction"]
    old = html[html.index(f'id="entry-{first}"'):html.index(f'id="entry-{first + 1}"')]
    assert '<del class="history__value">no</del>' in old and "<del>first look</del>" in old
    assert f'Corrected by <a href="#entry-{correction}">entry #{correction}</a>' in old
    assert " · demo · web · answer" in old and "UTC" in old
    new = html[html.index(f'id="entry-{correction}"'):]
    assert f'Corrects <a href="#entry-{first}">entry #{first}</a>' in new


def test_flags_link_to_their_paragraphs(demo: FlaskClient, recorded: dict[str, int]) -> None:
    html = demo.get(f"/cases/{CASE}").get_data(as_text=True)
    flags = html[html.index('id="flags"'):html.index('id="answers"')]
    assert "For the strategy meeting:" in flags
    assert '<a href="/protocol/3.5">3.5</a>' in flags
    assert "Because recorded: Previous history" in flags


def test_missing_items(demo: FlaskClient, recorded: dict[str, int]) -> None:
    html = demo.get(f"/cases/{CASE}").get_data(as_text=True)
    missing = html[html.index('id="missing"'):html.index('id="timeline"')]
    assert "Images of own Children" in missing and "skipped" in missing
    assert "Absence of cooperation" in missing or "cooperation" in missing.lower()
    assert "Checklists not started" in missing and "3.1 — " in missing


def test_timeline_dates_from_the_referral(demo: FlaskClient) -> None:
    today = date.today()  # the demo case's referral date
    html = demo.get(f"/cases/{CASE}").get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):html.index('id="history"')]
    assert f"{today:%a %-d %B %Y}" in timeline
    assert "42 working days after the referral" in timeline
    assert "No date" in timeline  # null offsets and unknown starting events
    with_conference = demo.get(f"/cases/{CASE}?initial_conference=2027-01-31").get_data(as_text=True)
    assert "Fri 30 April 2027" in with_conference  # 3 months, calendar
    assert "Sun 31 October 2027" in with_conference  # 9 months


def test_case_page_audits_reads(app: Flask, demo: FlaskClient) -> None:
    demo.get(f"/cases/{CASE}")
    with session_factory(app)() as db:
        reads = db.scalars(select(AuditEvent).where(AuditEvent.action == "read_case")).all()
    assert reads and all(event.channel == "web" for event in reads)
