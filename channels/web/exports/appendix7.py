"""The Appendix 7 "Assessment of Internet Offenders" form, its 18 parts prefilled from the case's
appendix-7 answers; parts with nothing recorded are left visibly empty."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

from casestore.overview import CaseOverview
from knowledge.model import KnowledgeBase

from .documents import NOT_YET_RECORDED, add_protocol_text, empty_marker, new_document, sign_off

CHECKLIST_ID = "appendix-7"
PARTS = 18


def build(kb: KnowledgeBase, view: CaseOverview, exported_by: str, exported_at: datetime) -> bytes:
    case = view.summary.case
    document = new_document(f"Assessment of Internet Offenders (Appendix 7) — case {case.reference}",
                            case, kb.meta, exported_by, exported_at)
    status = view.status(CHECKLIST_ID)
    recorded = {item.id: answer for item, answer in status.recorded}
    skipped = {item.id for item in status.skipped}
    items_by_part = {item.cites[0]: item for item in status.checklist.items}
    for number in range(1, PARTS + 1):
        unit_id = f"{CHECKLIST_ID}/part-{number}"
        unit = kb.units[unit_id]
        document.add_heading(unit.title, level=2)
        guidance = [line for line in unit.text.split("\n")[1:] if line.strip()]
        if guidance:
            add_protocol_text(document.add_paragraph(), "On the form: " + " / ".join(guidance),
                              italic=True)
        item = items_by_part.get(unit_id)
        answer = recorded.get(item.id) if item else None
        if answer is not None and answer.value:
            for line in answer.value.split("\n"):
                document.add_paragraph(line)
        else:
            note = " (skipped in the chat)" if item and item.id in skipped else ""
            empty_marker(document, NOT_YET_RECORDED + note)
    sign_off(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
