"""Case-level actions: what is recorded / missing / flagged, and opening a case."""
from __future__ import annotations

import re
from datetime import date

from rasa_sdk import Tracker

from actions.base import SafeAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_refs import reference_buttons, reference_problem, referral_date, which_year
from actions.checklist.actions import case_problem, case_work, checklist_name, release, waiting
from actions.checklist.parsing import find_checklist
from actions.checklist.prompts import overview_text
from actions.replies import button, send_cited, send_plain
from actions.runtime import kb
from casestore.errors import CannotOpenCase, CaseExists, CaseStoreError
from casestore.overview import overview
from casestore.refs import find_reference
from knowledge.timeline import COUNTED_FROM_REFERRAL, timeline


# A message that begins by opening a case ("referral date for the new case ..." records a date).
OPENING = re.compile(r"\s*(?:please\s+)?(?:open|create|register|new)\b.*\bcase\b", re.I)
# "what are the timescales for NW/2026/0012", "deadlines for this case", "when is everything due"
TIMESCALES = re.compile(r"\b(?:time ?scales?|deadlines?|timeline|due|due dates?|key dates)\b", re.I)


class ActionCaseSummary(SafeAction):
    """ "what's missing for NW/2026/0012", "what goes to the strategy meeting for ..." """

    commands = frozenset({"case_summary", "strategy_meeting_items"})

    def name(self) -> str:
        return "action_case_summary"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        problem = reference_problem(text)
        if problem:
            send_plain(dispatcher, problem, reference_buttons(text))
            return []
        reference = find_reference(text) or tracker.get_slot("current_case")
        if not reference:
            send_plain(dispatcher, "Which case? Say e.g. “what's missing for NW/2026/0012”.")
            return []
        if TIMESCALES.search(text):  # "what are the timescales for NW/2026/0012" read as a summary
            return ActionCaseTimescales().act(dispatcher, tracker, domain)
        flags_only = (tracker.latest_message.get("intent") or {}).get("name") == "strategy_meeting_items"
        named = find_checklist(text, kb()) if not flags_only else []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            try:
                view = overview(kb(), service.summary(reference))
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
        only = [c.id for c in named] if len(named) == 1 else None
        cites = [c for f in view.flags for c in f.rule.cites] or ["appendix-5"]
        paused, cleared = release(tracker, keep_case=reference)
        still = "" if paused else _still_open(tracker)
        send_cited(dispatcher, paused + overview_text(view, only, flags_only) + still, cites,
                   [button("Strategy meeting items", f"what goes to the strategy meeting for {reference}"),
                    button(f"Quick {kb().triage.id} triage", f"quick triage for {reference}")])
        return cleared + [SlotSet("current_case", reference)]


class ActionOpenCase(SafeAction):
    commands = frozenset({"open_case"})

    def name(self) -> str:
        return "action_open_case"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        reference = find_reference(text)
        problem = reference_problem(text)
        if problem or not reference:
            send_plain(dispatcher, problem or "Say “open case” with its reference, e.g. “open case NW/2026/0013”. "
                                              "Case records use references only, never names.",
                       reference_buttons(text))
            return []
        given = referral_date(text)
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            try:
                case = service.open_case(reference, referral_date=given.when)
            except CaseExists:
                send_plain(dispatcher, f"{reference} is already open for your team. Say “what's missing for "
                                       f"{reference}” to see it.")
                return []
            except CannotOpenCase as error:  # another team's reference: neutral words, audited
                send_plain(dispatcher, str(error))
                return []
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
        when = f", referral date {case.referral_date:%-d %B %Y}" if case.referral_date else ""
        unread_note = (f" I couldn't read “{given.unread}” as a date, so no referral date is recorded yet."
                       if given.unread else "")
        year_buttons: list[dict[str, str]] = []
        if given.yearless is not None:  # "referred on 3 Dec" on 25 November: which year?
            asked, year_buttons = which_year(given, case.reference)
            unread_note = " " + asked
        paused, cleared = release(tracker)
        send_plain(dispatcher, f"{paused}Opened case {case.reference} for {case.team}{when}.{unread_note} What next?",
                   year_buttons + [button(f"Quick {kb().triage.id} triage", f"quick triage for {reference}"),
                                   button("3.1 strategy meeting", f"start the 3.1 check for {reference}")])
        return cleared + [SlotSet("current_case", reference)]


def _still_open(tracker: Tracker) -> str:
    """A checklist on this case is still waiting for an answer: say so under the summary."""
    state = waiting(tracker)
    if state is None:
        return ""
    return f"\n\nStill in {checklist_name(state.checklist)} for this case: answer its current item, or say pause."


class ActionRecordReferralDate(SafeAction):
    """ "referral date for NW/2026/0013 is 20 November 2026": every timescale counts from it. A
    change is a new entry; the earlier date stays in the case history."""

    commands = frozenset({"record_referral_date"})

    def name(self) -> str:
        return "action_record_referral_date"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        if OPENING.match(text):  # "open case NW/2026/0301 referral date 20 November 2026"
            return ActionOpenCase().act(dispatcher, tracker, domain)
        problem = reference_problem(text)
        reference = find_reference(text) or tracker.get_slot("current_case")
        given = referral_date(text)
        if not problem and reference and given.yearless is not None:
            asked, buttons = which_year(given, reference)
            send_plain(dispatcher, asked, buttons)
            return []
        when = given.when
        if problem or not reference or when is None:
            example = reference or "NW/2026/0012"
            unread_note = f"I couldn't read “{given.unread}” as a date. " if given.unread else ""
            send_plain(dispatcher, problem or f"{unread_note}Say e.g. “referral date for {example} is 20 "
                                              "November 2026”; nothing was recorded.", reference_buttons(text))
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            try:
                earlier = service.get_case(reference).referral_date
                case = service.record_referral_date(reference, when)
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
        paused, cleared = release(tracker, keep_case=case.reference)
        still = "" if paused else _still_open(tracker)
        if earlier == when:
            said = f"The referral date for {case.reference} is already {when:%-d %B %Y}; nothing was changed."
        elif earlier is not None:
            said = (f"Corrected the referral date for {case.reference}: {when:%-d %B %Y} (it was {earlier:%-d %B %Y}; "
                    "the earlier date stays in the case history). The timescales count from the new date.")
        else:
            said = f"Recorded the referral date for {case.reference}: {when:%-d %B %Y}. The timescales count from it."
        send_plain(dispatcher, f"{paused}{said}{still}",
                   [button("Timescales", f"what are the timescales for {case.reference}")])
        return cleared + [SlotSet("current_case", case.reference)]


class ActionCaseTimescales(SafeAction):
    """ "what are the timescales for NW/2026/0012": the protocol's timescales (timescales.yml) with
    the dates the case record supports, counted as the web case page counts them (knowledge/timeline.py),
    each with its paragraph. Only the referral date is in the record: what runs from the initial
    conference is worked out on the case page, which takes that date."""

    commands = frozenset({"case_timescales"})

    def name(self) -> str:
        return "action_case_timescales"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        problem = reference_problem(text)
        reference = find_reference(text) or tracker.get_slot("current_case")
        if problem or not reference:
            send_plain(dispatcher, problem or "Which case? Say e.g. “what are the timescales for NW/2026/0012”.",
                       reference_buttons(text))
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            try:
                case = service.get_case(reference)
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
        paused, cleared = release(tracker, keep_case=case.reference)
        still = "" if paused else _still_open(tracker)
        words, cites = timescales_text(case.reference, case.referral_date)
        send_cited(dispatcher, paused + words + still, cites)
        return cleared + [SlotSet("current_case", case.reference)]


def timescales_text(reference: str, referral: date | None) -> tuple[str, list[str]]:
    # the case page's own reckoning (working days without Wales bank holidays, calendar months)
    entries = timeline(kb().timescales, {"referral": referral})
    cited = lambda scale: f"{scale.strength}; {', '.join(scale.cites)}"  # noqa: E731
    if referral:
        lines = [f"Timescales for case {reference}, counted from its referral date, {referral:%-d %B %Y} "
                 "(working days skip weekends and bank holidays in Wales):"]
    else:
        lines = [f"Case {reference} has no referral date recorded, so no timescale has a date yet. Say e.g. "
                 f"“referral date for {reference} is 20 November 2026”. What the protocol sets:"]
    for entry in (e for e in entries if e.timescale.offset is not None):
        scale = entry.timescale
        if entry.due:
            lines.append(f"• {entry.due:%a %-d %B %Y}: {scale.event} — {entry.interval} ({cited(scale)})")
            if scale.id in COUNTED_FROM_REFERRAL:  # the page's reading, and why: said as it says it
                lines.append(f"  {entry.anchor_note}")
        else:
            lines.append(f"• {scale.event} — {entry.interval} ({cited(scale)}). {entry.anchor_note}")
    loose = [e.timescale for e in entries if e.timescale.offset is None]
    if loose:
        lines.append("With no fixed time in the protocol: " + "; ".join(
            f"{scale.event} ({cited(scale)})" for scale in loose) + ".")
    lines.append(f"The case page in the web app (Cases, then {reference}: Statutory timeline) shows the protocol's "
                 "words for each, and works out the dates that run from the initial conference when you give "
                 "its date there.")
    cites = list(dict.fromkeys(c for e in entries for c in e.timescale.cites))
    return "\n".join(lines), cites
