"""What the case page and the exports show, built from the case service's answers and the
knowledge base (shared so the page and the documents never disagree)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g

import knowledge
from casestore.models import Entry
from casestore.overview import CaseOverview, overview
from casestore.service import CaseService
from knowledge.model import KnowledgeBase

from .database import db


def case_service() -> CaseService:
    return CaseService(db(), g.practitioner, "web")


@dataclass(frozen=True)
class HistoryRow:
    entry_id: int
    kind: str
    recorded_at: datetime
    who: str
    channel: str
    checklist: str | None  # "3.4 — Early significant-harm factors"
    item: str | None       # the item's text
    value: str | None
    note: str | None
    reasoning: str | None
    corrects: int | None
    corrected_by: int | None


def item_names(kb: KnowledgeBase, checklist_id: str | None,
               item_id: str | None) -> tuple[str | None, str | None]:
    checklist = kb.checklists.get(checklist_id or "")
    if checklist is None:
        return checklist_id, item_id
    names = {i.id: i.text for i in checklist.items}
    return checklist.name, names.get(item_id or "", item_id)


def history_rows(kb: KnowledgeBase, entries: list[Entry]) -> list[HistoryRow]:
    corrected_by = {e.corrects_entry_id: e.id for e in entries if e.corrects_entry_id}
    rows = []
    for entry in entries:
        checklist, item = item_names(kb, entry.checklist_id, entry.item_id)
        rows.append(HistoryRow(entry.id, entry.kind, entry.recorded_at, entry.practitioner.username,
                               entry.channel, checklist, item, entry.value, entry.note,
                               entry.reasoning, entry.corrects_entry_id, corrected_by.get(entry.id)))
    return rows


def exported_overview(reference: str, what: str) -> CaseOverview:
    """The case overview for a document export, audited as an export of `what`."""
    return overview(knowledge.load(), case_service().export_summary(reference, what))
