"""How checklist items, results and summaries are put to the practitioner (words from knowledge/)."""
from __future__ import annotations

from knowledge import KnowledgeBase
from knowledge.model import Checklist, Item

from actions.replies import button
from casestore.overview import CaseOverview, ChecklistStatus, FiredFlag

MAX_OPTION_BUTTONS = 6  # Teams shows at most six buttons on a card


def option_buttons(kb: KnowledgeBase, item: Item) -> list[dict[str, str]]:
    options = kb.answer_kinds[item.kind].options
    buttons = [button(o.capitalize(), f'/choose{{"option": "{o}"}}') for o in options]
    extras = [button("Why?", "/ask_why"), button("Skip", "/skip"), button("Go back", "/go_back")]
    return (buttons + extras)[:MAX_OPTION_BUTTONS]


def position(checklist: Checklist, item: Item) -> str:
    index = [i.id for i in checklist.items].index(item.id) + 1
    return f"item {index} of {len(checklist.items)}"


def item_prompt(kb: KnowledgeBase, case: str, checklist: Checklist, item: Item,
                recorded: str | None = None) -> str:
    kind = kb.answer_kinds[item.kind]
    who = f" (asked of: {item.asked_of})" if item.asked_of else ""
    side = f" [{item.group}]" if item.group else ""
    lines = [f"{checklist.name}, case {case}: {position(checklist, item)}{who}",
             f"“{item.text}”{side} ({', '.join(item.cites)})"]
    if recorded:
        lines.append(f"Currently recorded: {recorded}. A new answer is recorded as a correction; "
                     "the earlier answer stays in the history.")
    if kind.free_text:
        lines.append("Type your answer (no names or personal details), or say skip, go back, why? or pause.")
    else:
        note = " You can add a note after it, e.g. “yes - police disclosure 3 May”." if kind.note != "none" else ""
        lines.append(f"Answer {' / '.join(kind.options)}.{note} Or say skip, go back, why? or pause.")
    return "\n".join(lines)


def flag_line(flag: FiredFlag) -> str:
    return f"• For the {flag.rule.for_}: {flag.rule.says} ({', '.join(flag.rule.cites)})"


def status_lines(status: ChecklistStatus) -> list[str]:
    checklist = status.checklist
    lines = [f"{checklist.name}: {len(status.recorded)} of "
             f"{len(checklist.items)} recorded."]
    by_side: dict[str, list[str]] = {}
    for item, answer in status.recorded:
        note = f" ({answer.value})" if answer.value else ""
        by_side.setdefault(item.group or "", []).append(f"  – {item.text}{note}")
    for side, rows in by_side.items():
        if side:
            lines.append(f" {side}:")
        lines.extend(rows)
    if status.missing:
        lines.append(" Missing:" + "".join(f"\n  – {item.text}" + (" (skipped)" if item in status.skipped else "")
                                          for item in status.missing))
    return lines


def overview_text(overview: CaseOverview, only: list[str] | None = None, flags_only: bool = False) -> str:
    case = overview.summary.case
    lines = [f"Case {case.reference} ({case.status}). This shows what is recorded, what is missing and "
             "what the protocol says must be considered; it is not a risk score or a decision."]
    if not flags_only:
        shown = [s for s in overview.checklists if s.started and (only is None or s.checklist.id in only)]
        if not shown:
            lines.append("No checklist has been started on this case yet.")
        for status in shown:
            lines.extend(status_lines(status))
        if only is None:
            waiting = [s.checklist.id for s in overview.checklists if not s.started]
            if waiting:
                lines.append("Not started: " + ", ".join(waiting) + ".")
    if overview.flags:
        lines.append("For the strategy meeting and the plan, the protocol says:")
        lines.extend(flag_line(f) for f in overview.flags)
    else:
        lines.append("No flag rule has fired on what is recorded so far (that is not the same as no risk: "
                     "Appendix 5).")
    return "\n".join(lines)
