"""Rasa actions for the induction: start the tour, start the quiz, each turn, progress, and the
hand-over when a checklist starts. The flow does the work; progress lives in the case store."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction
from actions.checklist.actions import ActionChecklistTurn, release
from actions.identity import NO_CLAIM, identify
from actions.commands import says_command
from actions.protocol_answer import ActionAnswerProtocol, answer_question, is_new_question, slot_events
from actions.induction.flow import (RESUME_CHECKLIST, ConversationProgress, InductionFlow, Message, Turn,
                                   wants_restart)
from actions.replies import Reply
from actions.replies import send_cited, send_plain
from actions.runtime import kb, sessions
from casestore.errors import StoreUnavailable
from casestore.induction import InductionService
from knowledge.induction import load_tour

RESUMING = ("induction_next", "induction_back")
NOT_SAVED = ("Your place in the induction could not be saved just now, so this step may be repeated "
             "next time. Please try again in a moment.")


class ProtocolAsker:
    """Questions asked mid-tour or mid-quiz go to the protocol Q&A; its slot events are kept."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.events: list[dict[str, Any]] = []

    def is_question(self, text: str) -> bool:
        return is_new_question(text)

    def answer(self, text: str) -> list[Reply]:
        answer = answer_question(text, self.tracker)
        self.events = slot_events(answer) if answer.citations else []
        # The answer's "tell me more" buttons would expand the tour stop, not the answer: the
        # tour's own buttons follow instead.
        kept = [b for b in answer.buttons or [] if b.get("payload") != "/tell_more"]
        return [Reply(answer.text, list(answer.citations), kept)]


@contextmanager
def induction_flow(tracker: Tracker, dispatcher: CollectingDispatcher,
                   explain_sign_in: bool = False) -> Iterator[tuple[InductionFlow, ProtocolAsker]]:
    """The flow for whoever is asking: a signed-in practitioner's progress from the case store,
    anyone else's from this conversation."""
    asker = ProtocolAsker(tracker)
    with sessions()() as session:
        caller = identify(tracker, session)
        if caller.practitioner is not None:
            progress: Any = InductionService(session, caller.practitioner)
            learner = f"practitioner-{caller.practitioner.id}"
        else:
            saved = (tracker.get_slot("induction") or {}).get("progress")
            progress, learner = ConversationProgress(saved), "anonymous"
            if explain_sign_in and caller.refusal and caller.refusal != NO_CLAIM:
                send_plain(dispatcher, caller.refusal)  # a sign-in that failed, not a missing one
        yield InductionFlow(kb(), load_tour(), progress, learner, asker), asker


def respond(tracker: Tracker, dispatcher: CollectingDispatcher, step: Callable[[InductionFlow], Turn],
            starting: bool = False) -> list[dict[str, Any]]:
    with induction_flow(tracker, dispatcher, explain_sign_in=starting) as (flow, asker):
        try:
            turn = step(flow)
        except StoreUnavailable:
            send_plain(dispatcher, NOT_SAVED)
            return []
        events = send(dispatcher, turn, flow, asker, (tracker.get_slot("induction") or {}).get("shown"))
    if turn.then == RESUME_CHECKLIST:  # "resume for NW/2026/0012" mid-quiz: the checklist carries on
        from actions.checklist.actions import ActionResumeChecklist

        events += ActionResumeChecklist().act(dispatcher, tracker, {})
    return events


def message_of(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    option = next((e.get("value") for e in latest.get("entities", []) if e.get("entity") == "option"), None)
    shown = (tracker.get_slot("induction") or {}).get("shown")
    return Message(text=latest.get("text") or "", intent=(latest.get("intent") or {}).get("name"),
                   option=option if isinstance(option, str) else None,
                   shown=shown if isinstance(shown, str) else None)


def send(dispatcher: CollectingDispatcher, turn: Turn, flow: InductionFlow, asker: ProtocolAsker,
         shown_before: str | None = None) -> list[dict[str, Any]]:
    cited: list[str] = []
    for reply in turn.replies:
        if reply.citations:
            send_cited(dispatcher, reply.text, reply.citations, reply.buttons)
            cited = reply.citations
        else:
            send_plain(dispatcher, reply.text, reply.buttons)
    progress = flow.progress
    events = [*asker.events,
              SlotSet("induction_active", turn.mode is not None),
              SlotSet("induction", {"mode": turn.mode,
                                    "progress": None if progress.kept else progress.data,
                                    "shown": flow.shown or (shown_before if turn.mode == "quiz" else None)})]
    if cited and not asker.events:
        events.append(SlotSet("last_citations", cited))
    return events


def end_checklist(tracker: Tracker, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """Starting the induction pauses a checklist in progress (its answers and place are in the case store)."""
    paused, cleared = release(tracker)
    if paused:
        send_plain(dispatcher, paused.strip())
    return cleared


class ActionStartInduction(SafeAction):
    commands = frozenset({"start_induction"})

    def name(self) -> str:
        return "action_start_induction"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        ended = end_checklist(tracker, dispatcher)
        restart = wants_restart((tracker.latest_message or {}).get("text") or "")  # "start the tour again"
        return ended + respond(tracker, dispatcher, lambda flow: flow.start_tour(restart), starting=True)


class ActionStartQuiz(SafeAction):
    commands = frozenset({"start_quiz"})

    def name(self) -> str:
        return "action_start_quiz"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        ended = end_checklist(tracker, dispatcher)
        restart = wants_restart((tracker.latest_message or {}).get("text") or "")  # "restart quiz"
        return ended + respond(tracker, dispatcher, lambda flow: flow.start_quiz(restart), starting=True)


class ActionInductionTurn(SafeAction):
    commands = frozenset({"induction_next", "induction_back"})

    def name(self) -> str:
        return "action_induction_turn"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        mode = (tracker.get_slot("induction") or {}).get("mode") if tracker.get_slot("induction_active") else None
        message = message_of(tracker)
        if mode is None and message.intent == "quiz_answer" and tracker.get_slot("checklist_active"):
            return ActionChecklistTurn().act(dispatcher, tracker, domain)  # "1 3" at a triage, not a quiz
        if mode is None and message.intent == "quiz_answer" and not says_command(message.intent, message.text):
            return ActionAnswerProtocol().act(dispatcher, tracker, domain)  # a question DIET read as a quiz answer
        # "next stop" outside the tour resumes it, so a checklist in progress is paused first
        ended = end_checklist(tracker, dispatcher) if mode is None and message.intent in RESUMING else []
        if mode is None and message.intent == "stop_induction" and tracker.get_slot("checklist_active"):
            send_plain(dispatcher, "There is no tour or quiz in progress. To stop the checklist for now, "
                                   "say “pause”.")
            return []
        return ended + respond(tracker, dispatcher, lambda flow: flow.handle(mode, message))


class ActionInductionProgress(SafeAction):
    commands = frozenset({"my_progress"})

    def name(self) -> str:
        return "action_induction_progress"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with induction_flow(tracker, dispatcher, explain_sign_in=True) as (flow, _):
            try:
                reply = flow.report()
            except StoreUnavailable:
                reply = Reply("Your induction progress can't be read just now. Please try again in a moment.")
            send_plain(dispatcher, reply.text, reply.buttons)
        return []


class ActionEndInduction(SafeAction):
    """Before a checklist starts: the tour or quiz stops (its place is kept in the case store)."""

    def name(self) -> str:
        return "action_end_induction"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        send_plain(dispatcher, "Induction paused for the checklist: say “start induction” or “start quiz” "
                               "later to carry on where you left off.")
        mode = (tracker.get_slot("induction") or {})
        return [SlotSet("induction_active", False), SlotSet("induction", {**mode, "mode": None})]
