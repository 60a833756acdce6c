"""At the prompt for a required note ("What was observed, by whom ... and when?"), an answer word
changes or withdraws the answer and a question is answered; neither is recorded as the evidence
(trial F, 25 Nov 2026: "no" was recorded as observed with the note "no"; "actually not observed"
as observed; "what does antagonism mean" as the note)."""
from __future__ import annotations

import pytest

from actions.checklist.flow import Message
from actions.checklist.state import ANSWER, NOTE

from checklist_support import ASKED, CASE

CHECKLIST = "appendix-1/non-abusing-parent"


def say(flow, state, text, intent=None, option=None):
    return flow.handle(state, Message(text, intent, 0.9, option))


def at_note(flow, kb, first="observed"):
    state = flow.start(CASE, kb.checklists[CHECKLIST]).state
    turn = say(flow, state, first, intent="affirm")
    assert turn.state.awaiting == NOTE and turn.state.pending == {"value": "observed"}
    return state.item, turn.state


def recorded(service, item):
    return service.current_answers(CASE, CHECKLIST).get(f"{CHECKLIST}:{item}")


@pytest.mark.parametrize("text, intent", [("no", "deny"), ("actually not observed", None), ("nope", "deny"),
                                          ("sorry, no", None), ("not observed", "deny")])
def test_an_answer_word_at_the_note_prompt_changes_the_answer(flow, service, kb, text, intent):
    item, state = at_note(flow, kb, "yes")
    turn = say(flow, state, text, intent=intent)
    entry = recorded(service, item)
    assert (entry.value, entry.note) == ("not observed", None)
    assert turn.state is None or turn.state.item != item


def test_not_known_at_the_note_prompt_records_not_known(flow, service, kb):
    item, state = at_note(flow, kb)
    say(flow, state, "not known", intent="not_known")
    assert (recorded(service, item).value, recorded(service, item).note) == ("not known", None)


def test_a_changed_answer_with_its_note(flow, service, kb):
    item, state = at_note(flow, kb)
    say(flow, state, "not observed - mum denies it")
    entry = recorded(service, item)
    assert (entry.value, entry.note) == ("not observed", "mum denies it")


@pytest.mark.parametrize("text", ["cancel", "go back", "undo", "back"])
def test_withdrawing_at_the_note_prompt_records_nothing_and_asks_the_item_again(flow, service, kb, text):
    item, state = at_note(flow, kb)
    turn = say(flow, state, text)
    assert recorded(service, item) is None
    assert turn.state.item == item and turn.state.awaiting == ANSWER


def test_a_question_at_the_note_prompt_is_answered_and_nothing_recorded(flow, service, kb):
    item, state = at_note(flow, kb)
    turn = say(flow, state, "what does antagonism mean", intent="ask_protocol")
    assert ASKED[-1] == "what does antagonism mean"
    assert recorded(service, item) is None
    assert turn.state.awaiting == NOTE and "Nothing was recorded" in turn.replies[-1].text
    say(flow, turn.state, "seen at the home visit by the social worker, 3 Nov")
    entry = recorded(service, item)
    assert (entry.value, entry.note) == ("observed", "seen at the home visit by the social worker, 3 Nov")


def test_the_same_answer_again_asks_for_the_note_again(flow, service, kb):
    item, state = at_note(flow, kb)
    turn = say(flow, state, "yes", intent="affirm")
    assert recorded(service, item) is None and turn.state.awaiting == NOTE


@pytest.mark.parametrize("note", ["no eye contact with the child at the visit", "seen at visit by SW 3 May"])
def test_a_note_beginning_with_an_answer_like_word_is_a_note(flow, service, kb, note):
    item, state = at_note(flow, kb)
    say(flow, state, note)
    assert (recorded(service, item).value, recorded(service, item).note) == ("observed", note)


def test_a_judgement_reasoning_prompt_takes_another_judgement(flow, service, kb):
    checklist = kb.checklists["8.4"]
    item = next(i for i in checklist.items if i.kind == "judgement_harm")
    service.set_progress(CASE, "8.4", item.id)
    state = flow.start(CASE, checklist).state
    turn = say(flow, state, "extreme")
    assert turn.state.awaiting == NOTE
    turn = say(flow, turn.state, "actually serious")
    assert turn.state.awaiting == NOTE and turn.state.pending == {"value": "serious"}
    assert "8.4:" + item.id not in service.current_answers(CASE, "8.4")


def test_pausing_at_the_note_prompt_says_the_answer_was_not_recorded(flow, service, kb):
    item, state = at_note(flow, kb)
    turn = say(flow, state, "cancel", intent="pause")
    assert recorded(service, item) is None and turn.state is None
    assert "“observed” for the current item was not recorded" in turn.replies[0].text
