"""Word exports (strategy-meeting pack, Appendix 7 form) and the JSON full record: marked as
drafts, ending with a sign-off line, prefilled from the record, audited as exports."""
from __future__ import annotations

import io
import json

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casestore import accounts
from casestore.models import AuditEvent
from casestore.service import CaseService
from channels.web.database import session_factory
from channels.web.exports.documents import DRAFT_MARKING

CASE = "NW/2026/0012"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture()
def recorded(app: Flask) -> None:
    with session_factory(app)() as db:
        service = CaseService(db, accounts.get_practitioner(db, "demo"), "web")
        service.record_answer(CASE, "3.4", "previous-history", "yes")
        service.record_answer(CASE, "appendix-7", "reason-for-assessment", "Referral from police\nsecond line")


def document(client: FlaskClient, name: str) -> Document:
    response = client.get(f"/cases/{CASE}/export/{name}")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert f'filename="NW-2026-0012-{name}"' in response.headers["Content-Disposition"]
    return Document(io.BytesIO(response.data))


def texts(doc: Document) -> list[str]:
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return paragraphs + cells


def assert_draft_and_sign_off(doc: Document) -> None:
    assert doc.paragraphs[0].text == DRAFT_MARKING
    assert doc.sections[0].header.paragraphs[0].text.startswith(DRAFT_MARKING)
    last = doc.paragraphs[-1].text
    for field in ("Name:", "Role:", "Date:", "Signature:"):
        assert field in last


def test_strategy_meeting_pack(demo: FlaskClient, recorded: None) -> None:
    doc = document(demo, "strategy-meeting.docx")
    assert_draft_and_sign_off(doc)
    content = "\n".join(texts(doc))
    assert "For the strategy meeting: " in content and "(3.5, 3.4)" in content  # flag says + citations
    assert "Previous history (known to Children's Services for abuse or neglect)" in content
    assert "yes" in [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Missing:" in content and "Images of own Children" in content
    assert "3.5 — Whether the alleged offender leaves the home" in content  # citations section


def test_appendix_7_form(demo: FlaskClient, recorded: None) -> None:
    doc = document(demo, "appendix-7.docx")
    assert_draft_and_sign_off(doc)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    parts = [h for h in headings if h.startswith("Part ")]
    assert len(parts) == 18 and parts[0] == "Part 1 – Details of Offender"
    paragraphs = [p.text for p in doc.paragraphs]
    reason = paragraphs.index(next(h for h in parts if "Reason for Assessment" in h))
    assert paragraphs[reason + 1] == "Referral from police" and paragraphs[reason + 2] == "second line"
    first = paragraphs.index(parts[0])
    assert paragraphs[first + 1] == "On the form: Name | DOB | Ethnicity | Address"
    assert paragraphs[first + 2] == "Not yet recorded"
    assert paragraphs.count("Not yet recorded") == 17


def test_exports_of_an_empty_case(demo: FlaskClient) -> None:
    pack = "\n".join(texts(document(demo, "strategy-meeting.docx")))
    assert "No checklist has been started on this case yet." in pack
    form = [p.text for p in document(demo, "appendix-7.docx").paragraphs]
    assert form.count("Not yet recorded") == 18


def test_json_full_record(app: Flask, demo: FlaskClient, recorded: None) -> None:
    response = demo.get(f"/cases/{CASE}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    export = json.loads(response.data)
    assert export["format"] == "iioc-casestore-export" and export["case"]["reference"] == CASE
    assert export["exported_by"] == "demo"
    assert [e["value"] for e in export["entries"]] == ["yes", "Referral from police\nsecond line"]


def test_every_export_is_audited_as_an_export(app: Flask, demo: FlaskClient) -> None:
    for name in ("export/strategy-meeting.docx", "export/appendix-7.docx", "export.json"):
        assert demo.get(f"/cases/{CASE}/{name}").status_code == 200
    with session_factory(app)() as db:
        exports = db.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(exports) == 3 and {e.channel for e in exports} == {"web"}
    assert sorted(e.detail for e in exports) == ["appendix-7.docx", "full export", "strategy-meeting.docx"]
