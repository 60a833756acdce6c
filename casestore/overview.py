"""What a case record shows against the protocol: recorded, missing, and which flag rules fire.

Pure functions over a `CaseSummary` and the knowledge base, shared by the bot, the case pages
and the exports so they can never disagree. No scores, no totals of "risk": flags state what
the protocol says must be considered, with the paragraph, and which recorded answers fired them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from knowledge import KnowledgeBase
from knowledge.model import Checklist, FlagRule, Item

from .service import CaseSummary, CurrentAnswer

ANSWER_KINDS = ("answer", "judgement")


@dataclass(frozen=True)
class ChecklistStatus:
    checklist: Checklist
    recorded: list[tuple[Item, CurrentAnswer]]
    skipped: list[Item]
    missing: list[Item]  # never answered, or skipped

    @property
    def started(self) -> bool:
        return bool(self.recorded or self.skipped)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class FiredFlag:
    rule: FlagRule
    because: list[tuple[str, str]]  # (full item id, recorded value) that met the rule
    # The latest entry among those answers: the one whose recording made the rule fire. Pass
    # it to `CaseService.raise_flag` so the flag records which entry raised it.
    raised_by_entry_id: int | None = None


@dataclass(frozen=True)
class CaseOverview:
    summary: CaseSummary
    checklists: list[ChecklistStatus]
    flags: list[FiredFlag]

    def status(self, checklist_id: str) -> ChecklistStatus:
        return next(s for s in self.checklists if s.checklist.id == checklist_id)


def current_values(summary: CaseSummary) -> dict[str, str]:
    """Full item id -> current answer value, for answers and judgements (not skips or notes)."""
    values: dict[str, str] = {}
    for checklist_id, items in summary.answers.items():
        for item_id, answer in items.items():
            if answer.kind in ANSWER_KINDS and answer.value is not None:
                values[f"{checklist_id}:{item_id}"] = answer.value
    return values


def current_entry_ids(summary: CaseSummary) -> dict[str, int]:
    """Full item id -> id of its current entry (answers and judgements)."""
    return {
        f"{checklist_id}:{item_id}": answer.entry_id
        for checklist_id, items in summary.answers.items()
        for item_id, answer in items.items()
        if answer.kind in ANSWER_KINDS
    }


def fired_flags(
    kb: KnowledgeBase, values: Mapping[str, str], entry_ids: Mapping[str, int] | None = None
) -> list[FiredFlag]:
    """The flag rules the current values meet; with `entry_ids` (full item id -> current entry
    id), each says which entry raised it."""
    fired = []
    for rule in kb.flags:
        because = []
        for condition in rule.when.any:
            if condition.item is not None:
                targets = [condition.item]
            else:
                checklist = kb.checklists[condition.checklist]
                targets = [checklist.full_id(item) for item in checklist.items]
            because += [(t, values[t]) for t in targets if values.get(t) == condition.answer]
        if because:
            raised_by = [entry_ids[item] for item, _ in because if entry_ids and item in entry_ids]
            fired.append(FiredFlag(rule, because, max(raised_by, default=None)))
    return fired


def checklist_status(checklist: Checklist, answers: Mapping[str, CurrentAnswer]) -> ChecklistStatus:
    recorded, skipped, missing = [], [], []
    for item in checklist.items:
        answer = answers.get(item.id)
        if answer is not None and answer.kind in ANSWER_KINDS:
            recorded.append((item, answer))
            continue
        if answer is not None and answer.kind == "skip":
            skipped.append(item)
        missing.append(item)
    return ChecklistStatus(checklist, recorded, skipped, missing)


def overview(kb: KnowledgeBase, summary: CaseSummary) -> CaseOverview:
    statuses = [checklist_status(c, summary.answers.get(c.id, {})) for c in kb.checklists.values()]
    flags = fired_flags(kb, current_values(summary), current_entry_ids(summary))
    return CaseOverview(summary, statuses, flags)
