"""The note recorded with an answer is shown beside it, on the case page's "Recorded answers"
table and in the strategy-meeting pack, and a corrected answer is marked with who recorded the
current entry and when."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient

from casestore import accounts
from casestore.service import CaseService
from channels.web.database import session_factory

CASE = "NW/2026/0012"


@pytest.fixture()
def recorded(app: Flask) -> None:
    with session_factory(app)() as db:
        demo = CaseService(db, accounts.get_practitioner(db, "demo"), "web")
        first = demo.record_answer(CASE, "3.4", "previous-history", "yes", note="police disclosure 3 May")
        accounts.add_practitioner(db, "demo2", "Demo Team", "another-long-password-1")
        db.commit()
        colleague = CaseService(db, accounts.get_practitioner(db, "demo2"), "teams")
        colleague.correct(first.id, "no", note="checked, nothing known")
        demo.record_answer(CASE, "3.4", "previous-contact-abuse", "not known", note="awaiting PNC")
        demo.record_answer(CASE, "3.4", "images-of-own-children", "no")


def answers_table(html: str) -> str:
    return html.split('id="answers-heading"')[1].split('id="missing-heading"')[0]


def row_for(table: str, item_text: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", table, re.S)
    return next(r for r in rows if item_text in r)


def test_the_page_shows_each_note_beside_its_answer(demo: FlaskClient, recorded: None) -> None:
    table = answers_table(demo.get(f"/cases/{CASE}").get_data(as_text=True))
    assert '<th scope="col">Note</th>' in table
    corrected = row_for(table, "Previous history")
    assert "checked, nothing known" in corrected and "corrected" in corrected
    assert "police disclosure" not in corrected  # the corrected entry's note is in the history
    assert re.search(r"</a> by demo2", corrected)  # who recorded the current entry
    assert "awaiting PNC" in row_for(table, "Previous contact")


def test_the_pack_shows_each_note_beside_its_answer(demo: FlaskClient, recorded: None) -> None:
    response = demo.get(f"/cases/{CASE}/export/strategy-meeting.docx")
    doc = Document(io.BytesIO(response.data))
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    assert rows[0] == ["Item", "Recorded", "Note", "When, by whom"]
    corrected = next(r for r in rows if r[0].startswith("Previous history"))
    assert corrected[1:3] == ["no (corrected)", "checked, nothing known"]
    assert corrected[3].endswith("UTC by demo2")
    assert next(r for r in rows if r[0].startswith("Previous contact"))[2] == "awaiting PNC"
    assert next(r for r in rows if r[0].startswith("Images of own"))[2] == "—"
