"""The referral date can be recorded or corrected from the case page: a CSRF-protected, labelled
form; the old value stays in the history; the timeline counts from the current value."""
from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casestore.models import AuditEvent
from channels.web.database import session_factory
from web_support import csrf_from, login

CASE = "NW/2026/0012"
PAGE = f"/cases/{CASE}"
FORM = f"{PAGE}/referral-date"


def post_date(client: FlaskClient, value: str, token: str | None = None):
    token = token or csrf_from(client.get(PAGE).get_data(as_text=True))
    return client.post(FORM, data={"referral_date": value, "csrf_token": token})


def test_the_page_has_a_labelled_form(demo: FlaskClient) -> None:
    html = demo.get(PAGE).get_data(as_text=True)
    assert f'action="{FORM}"' in html
    assert '<label for="referral_date">Referral date</label>' in html
    assert 'type="date"' in html and f'max="{date.today().isoformat()}"' in html
    assert 'aria-describedby="referral-date-hint"' in html


def test_a_correction_is_current_and_the_old_date_stays_visible(demo: FlaskClient) -> None:
    response = post_date(demo, "2026-11-02")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}#referral-date")
    html = demo.get(PAGE).get_data(as_text=True)
    assert re.search(r"<strong>2 November 2026</strong>, recorded by\s+demo", html)
    assert 'value="2026-11-02"' in html  # the form starts from the current date
    assert f"<del>{date.today():%-d %B %Y}</del>" in html  # the date given when it was opened
    # the timeline counts from the corrected date: 42 working days after Mon 2 Nov 2026
    assert "Counted from the referral on 2 November 2026." in html
    assert "Mon 4 January 2027" in html  # Christmas and New Year bank holidays skipped


def test_day_month_year_is_understood(demo: FlaskClient) -> None:
    assert post_date(demo, "20/10/2026").status_code == 303
    assert "<strong>20 October 2026</strong>" in demo.get(PAGE).get_data(as_text=True)


def test_future_empty_and_unreadable_dates_are_refused(demo: FlaskClient) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for value, message in [(tomorrow, "cannot be in the future"), ("", "Enter the referral date"),
                           ("yesterday", "Not a valid date")]:
        response = post_date(demo, value)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, value
        assert "Referral date not recorded" in html and message in html, value
        assert 'aria-invalid="true"' in html
    assert "history__entry--corrected" not in demo.get(PAGE).get_data(as_text=True)


def test_the_form_needs_its_csrf_token(demo: FlaskClient) -> None:
    assert demo.post(FORM, data={"referral_date": "2026-11-02"}).status_code == 400
    assert "<strong>2 November 2026</strong>" not in demo.get(PAGE).get_data(as_text=True)


def test_another_team_is_refused_and_audited(app: Flask) -> None:
    other = app.test_client()
    assert login(other, username="other").status_code == 302
    token = csrf_from(other.get("/cases").get_data(as_text=True))
    response = post_date(other, "2026-11-02", token)
    assert response.status_code == 404
    assert f"{CASE} is not a case your team can see" in response.get_data(as_text=True)
    with session_factory(app)() as db:
        refused = db.scalars(select(AuditEvent).where(AuditEvent.action == "refused_cross_team"))
        assert len(refused.all()) == 1
