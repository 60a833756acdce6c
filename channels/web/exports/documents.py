"""What every Word export shares: the draft marking at the top (and in the page header), the
case and protocol details, and the sign-off line at the end."""
from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt, RGBColor

from casestore.views import CaseInfo
from knowledge.model import ProtocolMeta

DRAFT_MARKING = "DRAFT — for professional judgement; not a risk score or decision"
SIGN_OFF = ("Name: ______________________   Role: ______________________   "
            "Date: ______________   Signature: ______________________")
NOT_YET_RECORDED = "Not yet recorded"


def new_document(title: str, case: CaseInfo, meta: ProtocolMeta, exported_by: str,
                 exported_at: datetime) -> DocumentType:
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{DRAFT_MARKING} — case {case.reference}"
    marking = document.add_paragraph()
    run = marking.add_run(DRAFT_MARKING)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
    document.add_heading(title, level=1)
    referral = f"{case.referral_date:%-d %B %Y}" if case.referral_date else "not recorded"
    for label, value in (
        ("Case", f"{case.reference} ({case.status}), {case.team}"),
        ("Referral date", referral),
        ("Prepared", f"{exported_at:%-d %B %Y %H:%M} UTC from the case record by {exported_by}"),
        ("Protocol", _protocol_line(meta)),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    return document


def _protocol_line(meta: ProtocolMeta) -> str:
    line = f"{meta.board}, Joint Protocol version {meta.version} ({meta.issued})"
    if meta.review_passed:
        line += f"; its review date ({meta.review_date}) has passed: check for a newer version"
    return line


def empty_marker(document: DocumentType, text: str = NOT_YET_RECORDED) -> None:
    run = document.add_paragraph().add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def sign_off(document: DocumentType) -> None:
    document.add_heading("Sign-off", level=2)
    document.add_paragraph("Checked and agreed by the practitioner responsible:")
    document.add_paragraph(SIGN_OFF)
