"""Rasa actions for checklists: list, start, triage, each turn, resume. The flow does the work."""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from rasa_sdk import Tracker

from actions.base import SafeAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_refs import reference_buttons, reference_problem
from actions.checklist.flow import ChecklistFlow, Message, Turn
from actions.replies import Reply
from actions.checklist.parsing import find_checklist, is_short_command
from actions.checklist.state import ChecklistState
from actions.protocol_answer import ActionAnswerProtocol
from knowledge.model import Checklist
from actions.identity import identify, personal_details_confirmed
from actions.replies import button, send_cited, send_plain
from actions.runtime import kb, sessions
from casestore import pii
from casestore.errors import AccessDenied, CaseStoreError, UnknownCase
from casestore.refs import find_reference
from casestore.service import CaseService


def combined(replies: list[Reply]) -> list[Reply]:
    """Fold plain acknowledgements ("Recorded: yes.") into the reply that follows them: one bot
    event instead of two (Rasa replays every event of a conversation on each message)."""
    out: list[Reply] = []
    pending = ""
    for reply in replies:
        if not reply.citations and not reply.buttons and reply is not replies[-1]:
            pending += reply.text + "\n\n"
            continue
        out.append(Reply(pending + reply.text, reply.citations, reply.buttons) if pending else reply)
        pending = ""
    return out


def send(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in combined(replies):
        if reply.citations:
            send_cited(dispatcher, reply.text, reply.citations, reply.buttons)
        else:
            send_plain(dispatcher, reply.text, reply.buttons)


def checklist_label(checklist: Checklist) -> str:
    """A button title a practitioner can read: "Appendix 1, Siblings", "10.9 — Factors of concern"."""
    unit = kb().units.get(checklist.id)
    label = unit.label if unit else f"{checklist.id} {checklist.title}"
    return label if len(label) <= 60 else label[:59].rstrip() + "…"


def ask_protocol(text: str) -> Reply:
    from actions.protocol_answer import answer_question

    answer = answer_question(text, None)
    return Reply(answer.text, list(answer.citations), list(answer.buttons or []))


def screen(text: str) -> list[str]:
    return sorted({finding.label for finding in pii.screen(text)})


def message_of(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    option = next((e.get("value") for e in latest.get("entities", []) if e.get("entity") == "option"), None)
    return Message(text=latest.get("text") or "", intent=intent.get("name"),
                   confidence=float(intent.get("confidence") or 0.0), option=option,
                   details_confirmed=personal_details_confirmed(tracker))


def events_for(turn: Turn, case: str | None = None) -> list[dict[str, Any]]:
    events = [SlotSet("checklist", turn.state.to_slot() if turn.state else None),
              SlotSet("checklist_active", turn.state is not None)]
    if case:
        events.append(SlotSet("current_case", case))
    return events


@contextmanager
def case_work(tracker: Tracker, dispatcher: CollectingDispatcher) -> Iterator[CaseService | None]:
    """A case service for the signed-in practitioner, or None after telling them why not."""
    with sessions()() as session:
        caller = identify(tracker, session)
        if caller.practitioner is None:
            send_plain(dispatcher, caller.refusal or "Case work needs you to be signed in.")
            yield None
            return
        yield CaseService(session, caller.practitioner, caller.channel)


def case_problem(error: CaseStoreError, reference: str | None) -> str:
    """What to tell the practitioner. The case store words its errors for them; the one exception:
    an unknown case and another team's case get the same answer, so nothing about another team's
    cases is revealed."""
    if isinstance(error, (UnknownCase, AccessDenied)):
        return (f"{reference} is not a case your team can see. Check the reference; if it is a new "
                f"case, say “open case {reference}”.")
    return str(error)


def item_number(text: str) -> int | None:
    """ "start the 3.4 check for NW/2026/0012 at item 3", "correct 3.4 item 3": that item."""
    match = re.search(r"\b(?:item|question|no\.?|number)\s*(\d{1,2})\b", text, re.I)
    return int(match.group(1)) if match else None


def checklist_name(checklist_id: str) -> str:
    known = kb().checklists.get(checklist_id)
    return known.name if known else checklist_id


def waiting(tracker: Tracker) -> ChecklistState | None:
    """The checklist item this conversation is waiting on an answer for, if any."""
    state = ChecklistState.from_slot(tracker.get_slot("checklist"))
    return state if state is not None and state.item is not None else None


def release(tracker: Tracker, keep_case: str | None = None, keep_checklist: str | None = None
            ) -> tuple[str, list[dict[str, Any]]]:
    """The practitioner turns to another case or checklist while one is waiting for an answer: it
    is paused (its place is kept in the case store) and they are told, so the next "yes" is not
    recorded against the case they have just left."""
    state = ChecklistState.from_slot(tracker.get_slot("checklist"))
    if state is None or (state.case == keep_case and keep_checklist in (None, state.checklist)):
        return "", []
    cleared = [SlotSet("checklist", None), SlotSet("checklist_active", False)]
    if state.item is None:  # a quick triage: nothing is recorded until it is confirmed
        return f"The quick triage for case {state.case} was left; nothing was recorded from it.\n\n", cleared
    return (f"Paused {checklist_name(state.checklist)} for case {state.case}: what was answered is recorded. Say “resume for "
            f"{state.case}” to carry on with it.\n\n", cleared)


class ActionListChecklists(SafeAction):
    commands = frozenset({"list_checklists"})

    def name(self) -> str:
        return "action_list_checklists"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        case = tracker.get_slot("current_case") or "NW/2026/0012"
        triage = kb().triage
        lines = [f"• {c.id} — {c.title}" for c in kb().checklists.values()]
        text = ("The protocol's checklists I can take you through:\n" + "\n".join(lines) +
                f"\n\nSay e.g. “start the {triage.id} check for {case}”, or “quick triage for {case}” "
                f"for the {len(triage.items)} {triage.id} factors in three turns.")
        # A menu, not an answer: the paragraph of each checklist is named in its title.
        send_plain(dispatcher, text,
                   [button(f"{triage.id} triage", f"quick triage for {case}"),
                    button("3.1 strategy meeting", f"start the 3.1 check for {case}"),
                    button("10.9 factors of concern", f"start the 10.9 check for {case}")])
        return []


class ActionStartChecklist(SafeAction):
    commands = frozenset({"start_checklist"})

    def name(self) -> str:
        return "action_start_checklist"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        problem = reference_problem(text)
        if problem:
            send_plain(dispatcher, problem, reference_buttons(text))
            return []
        reference = find_reference(text) or tracker.get_slot("current_case")
        found = find_checklist(text, kb())
        if len(found) != 1:
            choices = found or list(kb().checklists.values())[:6]
            suffix = f" for {reference}" if reference else ""
            send_plain(dispatcher, "Which checklist?" if found else
                       "Which checklist? Say “list checklists” to see them all.",
                       [button(checklist_label(c), f"start the {c.id} check{suffix}") for c in choices[:6]])
            return []
        if not reference:
            send_plain(dispatcher, f"Which case? Say e.g. “start the {found[0].id} check for NW/2026/0012”.")
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            flow = ChecklistFlow(kb(), service, ask_protocol, screen)
            try:
                turn = flow.start(reference, found[0], at_item=item_number(text))
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
            paused, _ = release(tracker, keep_case=reference, keep_checklist=found[0].id)
            send(dispatcher, [Reply(paused.strip())] + turn.replies if paused else turn.replies)
            return events_for(turn, reference)


class ActionStartTriage(SafeAction):
    commands = frozenset({"triage"})

    def name(self) -> str:
        return "action_start_triage"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        problem = reference_problem(text)
        if problem:
            send_plain(dispatcher, problem, reference_buttons(text))
            return []
        reference = find_reference(text) or tracker.get_slot("current_case")
        if not reference:
            send_plain(dispatcher, "Which case? Say e.g. “quick triage for NW/2026/0012”.")
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            try:
                service.get_case(reference)
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, reference))
                return []
            turn = ChecklistFlow(kb(), service, ask_protocol, screen).start_triage(reference)
            paused, _ = release(tracker)
            send(dispatcher, [Reply(paused.strip())] + turn.replies if paused else turn.replies)
            return events_for(turn, reference)


class ActionChecklistTurn(SafeAction):
    def name(self) -> str:
        return "action_checklist_turn"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        state = ChecklistState.from_slot(tracker.get_slot("checklist"))
        message = message_of(tracker)
        if state is None and not is_short_command(message.text):  # "extreme, serious or concerning?"
            return ActionAnswerProtocol().act(dispatcher, tracker, domain)
        named = find_reference(message.text)
        if message.intent == "resume_checklist" and (reference_problem(message.text)
                                                     or (state is not None and named not in (None, state.case))):
            # "resume for 9101", "resume for NW/2026/0013" mid-checklist: not this case's checklist
            return ActionResumeChecklist().act(dispatcher, tracker, domain)
        if state is None:
            send_plain(dispatcher, "There is no checklist in progress. Say “resume” to carry on with one "
                                   "you paused, or “list checklists” to start one.")
            return [SlotSet("checklist_active", False)]
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return [SlotSet("checklist_active", False)]
            try:
                turn = ChecklistFlow(kb(), service, ask_protocol, screen).handle(state, message)
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, state.case))
                return []  # the state is kept: the practitioner can answer again
            send(dispatcher, turn.replies)
            return events_for(turn)


class ActionResumeChecklist(SafeAction):
    def name(self) -> str:
        return "action_resume_checklist"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = (tracker.latest_message or {}).get("text") or ""
        state = ChecklistState.from_slot(tracker.get_slot("checklist"))
        problem = reference_problem(text)
        if problem:  # "resume for 9101": never the checklist of whichever case is open
            send_plain(dispatcher, problem, reference_buttons(text))
            return []
        with case_work(tracker, dispatcher) as service:
            if service is None:
                return []
            flow = ChecklistFlow(kb(), service, ask_protocol, screen)
            try:
                named = find_reference(text)
                if state is not None and state.item is not None and named in (None, state.case):
                    turn = Turn([flow.prompt(state)], state)
                else:  # "resume for NW/2026/0013" mid-checklist on another case: that case's checklist
                    latest = service.latest_progress(named)
                    if latest is None:
                        send_plain(dispatcher, "You have no checklist in progress. Say “list checklists” to start one.")
                        return [SlotSet("checklist_active", False)]
                    turn = flow.start(latest.reference, kb().checklists[latest.checklist_id], resuming=True)
            except CaseStoreError as error:
                send_plain(dispatcher, case_problem(error, state.case if state else find_reference(text)))
                return []
            send(dispatcher, turn.replies)
            return events_for(turn, turn.state.case if turn.state else None)
