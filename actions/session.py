"""Session start and help."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import SafeAction
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import button, send_plain, version_note


class ActionSessionStart(SafeAction):
    """Start a session, carrying slots over: a checklist in progress survives session expiry."""

    def name(self) -> str:
        return "action_session_start"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        carried = [SlotSet(name, value) for name, value in tracker.slots.items()
                   if value is not None and name != "session_started_metadata"]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]


class ActionHelp(SafeAction):
    commands = frozenset({"help"})

    def name(self) -> str:
        return "action_help"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        case = tracker.get_slot("current_case") or "NW/2026/0012"
        send_plain(dispatcher, (
            "I answer questions about the North Wales joint protocol on children affected by adults "
            "viewing indecent images of children, quoting the paragraph each answer comes from "
            f"({version_note()}). Ask in your own words, or look up a paragraph: “what does 3.5 say”.\n"
            "Signed in, I can also take you through the protocol's checklists for a case and record "
            "the answers: “list checklists”, “quick triage for " + case + "”, “what's missing for "
            + case + "”.\nI never give a risk score or a decision: professional judgement, your line "
            "manager and the strategy meeting decide (Appendix 5, 8.4).\nNew to the protocol? “start induction” "
            "walks through it in order, and “start quiz” checks your understanding." + where_you_are(tracker)),
            [button("List checklists", "/list_checklists"), button("What does 3.4 say?", "what does 3.4 say"),
             button("Quick triage", f"quick triage for {case}"), button("Start induction", "start induction")])
        return []


def where_you_are(tracker: Tracker) -> str:
    """ "help" in the middle of something: say what is waiting, so the next message lands where meant."""
    from actions.checklist.actions import checklist_name, waiting  # imports this module's SafeAction

    state = waiting(tracker)
    if tracker.get_slot("checklist_active") and state is not None:
        return (f"\n\nYou are in {checklist_name(state.checklist)} for case {state.case}: it is waiting for "
                "your answer. Answer it, or say pause.")
    induction = tracker.get_slot("induction") or {}
    if tracker.get_slot("induction_active") and induction.get("mode") in ("tour", "quiz"):
        what = "tour" if induction["mode"] == "tour" else "quiz"
        return f"\n\nYou are in the induction {what}: say “next” to carry on, or “stop”."
    return ""
