"""Case-level actions: what is recorded / missing / flagged, and opening a case."""
from __future__ import annotations

from datetime import date

from rasa_sdk import Tracker

from actions.base import SafeAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checklist.actions import case_problem, case_work
from actions.checklist.parsing import find_checklist
from actions.checklist.prompts import overview_text
from actions.replies import button, send_cited, send_plain
from actions.runtime import kb
from casestore.errors import CaseExists, CaseStoreError
from casestore.overview import overview
from casestore.refs import find_reference


class ActionCaseSummary(SafeAction):
    """ "what's missing for NW/2026/0012", "what goes to the strategy meeting for ..." """

    commands = frozenset({"case_summary", "strategy_meeting_items"})

    def name(self) -> str:
        return "action_case_summary"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        reference = find_reference(text) or tracker.get_slot("current_case")
        if not reference:
            send_plain(dispatcher, "Which case? Say e.g. “what's missing for NW/2026/0012”.")
            return []
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
        send_cited(dispatcher, overview_text(view, only, flags_only), cites,
                   [button("Strategy meeting items", f"what goes to the strategy meeting for {reference}"),
                    button(f"Quick {kb().triage.id} triage", f"quick triage for {reference}")])
        return [SlotSet("current_case", reference)]


class ActionOpenCase(SafeAction):
    commands = frozenset({"open_case"})

    def name(self) -> str:
        return "action_open_case"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        reference = find_reference(text)
        if not reference:
            send_plain(dispatcher, "Say “open case” with its reference, e.g. “open case NW/2026/0013”. "
                                   "Case records use references only, never names.")
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            referral = date.today() if "today" in text.lower() else None
            try:
                case = service.open_case(reference, referral_date=referral)
            except CaseExists:
                send_plain(dispatcher, f"{reference} already exists. If your team holds it, say "
                                       f"“what's missing for {reference}”.")
                return []
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
        when = f", referral date {case.referral_date:%d %B %Y}" if case.referral_date else ""
        send_plain(dispatcher, f"Opened case {case.reference} for {case.team}{when}. What next?",
                   [button(f"Quick {kb().triage.id} triage", f"quick triage for {reference}"),
                    button("3.1 strategy meeting", f"start the 3.1 check for {reference}")])
        return [SlotSet("current_case", reference)]
