"""What every Word export shares: the draft marking at the top (and in the page header), the
case and protocol details, and the sign-off line at the end."""
from __future__ import annotations

import re
from datetime import datetime

from docx import Document
from docx.document import Document as DocumentType
from docx.text.paragraph import Paragraph
from docx.shared import Pt, RGBColor

from casestore.views import CaseInfo
from knowledge.model import ProtocolMeta

DRAFT_MARKING = "DRAFT — for professional judgement; not a risk score or decision"
SIGN_OFF = ("Name: ______________________   Role: ______________________   "
            "Date: ______________   Signature: ______________________")
NOT_YET_RECORDED = "Not yet recorded"

# The protocol's text carries a little Markdown (as channels.web.rendering renders it for the
# page): in Word, **bold** and *italic* become formatted runs and [label](address) its label.
_MARKDOWN_SPAN = re.compile(r"\*\*(?P<bold>.+?)\*\*|(?<![\w*])\*(?!\s)(?P<italic>.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[(.+?)\]\([^)\s]*\)")
_ESCAPE = re.compile(r"\\([()\[\]*_\\-])")


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


def add_protocol_text(paragraph: Paragraph, text: str, italic: bool = False) -> Paragraph:
    """Append the protocol's `text` to `paragraph` as Word runs: Markdown bold and italic become
    formatting, links their label; no Markdown marks are left in the document."""
    text = _LINK.sub(r"\1", text)
    position = 0
    for match in _MARKDOWN_SPAN.finditer(text):
        _run(paragraph, text[position : match.start()], italic=italic)
        if match.group("bold") is not None:
            _run(paragraph, match.group("bold"), italic=italic, bold=True)
        else:
            _run(paragraph, match.group("italic"), italic=True)
        position = match.end()
    _run(paragraph, text[position:], italic=italic)
    return paragraph


def _run(paragraph: Paragraph, text: str, italic: bool, bold: bool = False) -> None:
    if text:
        run = paragraph.add_run(_ESCAPE.sub(r"\1", text))
        run.italic = italic or None
        run.bold = bold or None


def empty_marker(document: DocumentType, text: str = NOT_YET_RECORDED) -> None:
    run = document.add_paragraph().add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def sign_off(document: DocumentType) -> None:
    document.add_heading("Sign-off", level=2)
    document.add_paragraph("Checked and agreed by the practitioner responsible:")
    document.add_paragraph(SIGN_OFF)
