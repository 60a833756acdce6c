"""How checklist items, results and summaries are put to the practitioner (words from knowledge/)."""
from __future__ import annotations

import re

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
    lines += [f"Note: {' '.join(loss.says.split())}" for loss in kb.losses_about(item)]
    if recorded:
        lines.append(f"Currently recorded: {recorded}. A new answer is recorded as a correction; "
                     "the earlier answer stays in the history.")
    asks = personal_fields(kb, item)
    if kind.free_text and asks is not None:
        fields, personal = asks
        others = [f for f in fields if f not in personal]
        rest = (f" What else it asks ({', '.join(others)}) can be typed without naming anyone." if others else "")
        if re.search(r"\b(?:role|worker|professionals?)\b", " ".join(fields), re.I):
            rest += " A role and agency (e.g. “allocated social worker, Children's Services”) is fine."
        lines.append(f"The form asks here for: {' | '.join(fields)}. The case record holds case references, not "
                     f"personal details, so don't type the {', '.join(personal)}: say where they are held instead, "
                     f"e.g. “recorded elsewhere – on the case file for {case}”.{rest} Or say skip, go back, why? "
                     "or pause.")
    elif kind.free_text:
        lines.append("Type your answer (no names or personal details), or say skip, go back, why? or pause.")
    else:
        example = "police disclosure 3 May" if kind.options[0] == "yes" else "home visit 3 May"
        note = (f" You can add a note after it, e.g. “{kind.options[0]} - {example}”."
                if kind.note == "optional" and not kind.note_required_for else "")
        lines.append(f"Answer {' / '.join(kind.options)}.{note} Or say skip, go back, why? or pause.")
    return "\n".join(lines)


_PERSONAL_FIELD = re.compile(r"\b(?:name(?! of (?:the )?assessment)|dob|date of birth|address|contact details?|phone)\b",
                             re.I)


def personal_fields(kb: KnowledgeBase, item: Item) -> tuple[list[str], list[str]] | None:
    """The form's fields for an item whose paragraph is a form row asking for personal details
    (Appendix 7 part 1: "Name | DOB | Ethnicity | Address"): all of them, and the personal ones."""
    for cite in item.cites:
        unit = kb.units.get(cite)
        if unit is None:
            continue
        row = next((line for line in unit.text.splitlines() if "|" in line), None)
        fields = [f.strip() for f in row.split("|") if f.strip()] if row else []
        if not fields and _PERSONAL_FIELD.match(item.text):  # "Name of Social Worker/ ... completing assessment"
            fields = [item.text]
        personal = [f for f in fields if _PERSONAL_FIELD.search(f)]
        if personal:
            return fields, personal
    return None


def flag_line(flag: FiredFlag) -> str:
    return f"• For the {flag.rule.for_}: {flag.rule.says} ({', '.join(flag.rule.cites)})"


def status_lines(status: ChecklistStatus) -> list[str]:
    checklist = status.checklist
    lines = [f"{checklist.name}: {len(status.recorded)} of "
             f"{len(checklist.items)} recorded."]
    by_side: dict[str, list[str]] = {}
    for item, answer in status.recorded:
        by_side.setdefault(item.group or "", []).append(f"  – {item.text}{_recorded(answer)}")
    for side, rows in by_side.items():
        if side:
            lines.append(f" {side}:")
        lines.extend(rows)
    if status.missing:
        lines.append(" Missing:")
        missing: dict[str, list[str]] = {}
        for item in status.missing:
            skipped = " (skipped)" if item in status.skipped else ""
            missing.setdefault(item.group or "", []).append(f"  – {item.text}{skipped}")
        for side, rows in missing.items():
            if side and len(missing) > 1:
                lines.append(f"  {side}:")
            lines.extend(rows)
    return lines


def _recorded(answer) -> str:
    """ "(yes — note: police said 3 May; a correction)", "(extreme — demo's judgement: ...)"."""
    if not answer.value:
        return ""
    parts = [answer.value]
    if answer.kind == "judgement":
        parts.append(f"{answer.recorded_by or 'a practitioner'}'s judgement"
                     + (f": {answer.reasoning}" if answer.reasoning else ""))
    elif answer.note:
        parts.append(f"note: {answer.note}")
    text = " — ".join(parts)
    return f" ({text}; a correction)" if answer.is_correction else f" ({text})"


def overview_text(overview: CaseOverview, only: list[str] | None = None, flags_only: bool = False) -> str:
    case = overview.summary.case
    referral = (f"referral date {case.referral_date:%-d %B %Y}" if case.referral_date
                else "no referral date recorded yet")
    lines = [f"Case {case.reference} ({case.status}; {referral}). This shows what is recorded, what is missing "
             "and what the protocol says must be considered; it is not a risk score or a decision."]
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
    if flags_only:
        lines.extend(_strategy_gaps(overview))
    if overview.flags:
        lines.append("For the strategy meeting and the plan, the protocol says:")
        lines.extend(flag_line(f) for f in overview.flags)
    else:
        lines.append("No flag rule has fired on what is recorded so far (that is not the same as no risk: "
                     "Appendix 5).")
    return "\n".join(lines)


def _strategy_gaps(overview: CaseOverview) -> list[str]:
    """Section 3's checklists (the Section 47 Enquiry and its strategy meeting) not yet complete:
    a flag that has not fired may only mean nothing is recorded yet."""
    gaps = []
    for status in overview.checklists:
        if not status.checklist.cites[0].startswith("3."):
            continue
        if not status.started:
            gaps.append(f"  – {status.checklist.name}: not started")
        elif status.missing:
            gaps.append(f"  – {status.checklist.name}: {len(status.missing)} of "
                        f"{len(status.checklist.items)} not recorded")
    return ["Not yet recorded for the strategy meeting:", *gaps] if gaps else []
