"""The strategy-meeting pack: flags (what the protocol says must be considered, with the
paragraphs), recorded answers per checklist, what is missing, and the paragraphs cited."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

from casestore.overview import CaseOverview
from casestore.views import CurrentAnswer
from knowledge.model import KnowledgeBase

from .documents import add_protocol_text, empty_marker, new_document, sign_off


def answer_note(answer: CurrentAnswer) -> str:
    """The note (and a judgement's reasoning) recorded with the answer: its evidence."""
    parts = [answer.note or ""]
    if answer.reasoning:
        parts.append(f"Reasoning: {answer.reasoning}")
    return "\n".join(p for p in parts if p) or "—"


def build(kb: KnowledgeBase, view: CaseOverview, exported_by: str, exported_at: datetime) -> bytes:
    case = view.summary.case
    document = new_document(f"Strategy meeting pack — case {case.reference}", case, kb.meta,
                            exported_by, exported_at)
    cited: list[str] = []

    document.add_heading("What the protocol says must be considered", level=2)
    if not view.flags:
        empty_marker(document, "No flag rule has fired on what is recorded so far (that is not "
                               "the same as no risk: see Appendix 5).")
    for flag in view.flags:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"For the {flag.rule.for_}: ").bold = True
        add_protocol_text(paragraph, f"{flag.rule.says} ({', '.join(flag.rule.cites)})")
        because = "; ".join(f"{kb.item(item).text} — {value}" for item, value in flag.because)
        document.add_paragraph(f"Because recorded: {because}", style="List Bullet 2")
        cited += flag.rule.cites

    document.add_heading("Recorded answers", level=2)
    started = [s for s in view.checklists if s.started]
    if not started:
        empty_marker(document, "No checklist has been started on this case yet.")
    for status in started:
        checklist = status.checklist
        document.add_heading(f"{checklist.name} ({', '.join(checklist.cites)})", level=3)
        cited += checklist.cites
        if status.recorded:
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("Item", "Recorded", "Note", "When, by whom")):
                cell.text = text
            for item, answer in status.recorded:
                row = table.add_row().cells
                row[0].text = item.text + (f" [{item.group}]" if item.group else "")
                row[1].text = (answer.value or "") + (" (corrected)" if answer.is_correction else "")
                row[2].text = answer_note(answer)
                row[3].text = f"{answer.recorded_at:%-d %b %Y %H:%M} UTC by {answer.recorded_by}"
        else:
            empty_marker(document)
        if status.missing:
            document.add_paragraph("Missing:").runs[0].bold = True
            for item in status.missing:
                skipped = " (skipped)" if item in status.skipped else ""
                document.add_paragraph(f"{item.text}{skipped}", style="List Bullet")

    not_started = [s.checklist for s in view.checklists if not s.started]
    if not_started:
        document.add_heading("Checklists not started", level=2)
        for checklist in not_started:
            document.add_paragraph(checklist.name, style="List Bullet")

    document.add_heading("Protocol paragraphs cited", level=2)
    for unit_id in dict.fromkeys(cited):
        unit = kb.units.get(unit_id)
        document.add_paragraph(unit.label if unit else unit_id, style="List Bullet")
    if not cited:
        empty_marker(document, "None yet.")

    sign_off(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
