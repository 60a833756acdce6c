"""Faults found in practitioner trial F (25 Nov 2026), each pinned."""
from __future__ import annotations

import pytest

from actions.checklist.flow import Message
from actions.checklist.parsing import match_option

from checklist_support import ASKED, CASE


def say(flow, state, text, intent=None, option=None, confidence=0.9):
    return flow.handle(state, Message(text, intent, confidence, option))


# ----- a mistyped yes with a note ------------------------------------------------------------

@pytest.mark.parametrize("text, note", [("yse - known to CS in 2019 re neglect", "known to CS in 2019 re neglect"),
                                        ("yess - 2011 conviction for sexual assault", "2011 conviction for sexual assault"),
                                        ("Yse, Known to CS", "Known to CS")])
def test_a_mistyped_yes_with_a_note_is_recorded_as_yes_with_the_note(flow, service, kb, text, note):
    state = flow.start(CASE, kb.checklists["10.9"]).state
    asked = len(ASKED)
    say(flow, state, text, intent="ask_protocol", confidence=0.95)  # the NLU read it as a question
    entry = service.current_answers(CASE, "10.9")[f"10.9:{state.item}"]
    assert (entry.value, entry.note) == ("yes", note) and len(ASKED) == asked


def test_a_mistyped_not_known_with_a_note():
    assert match_option("nto known: awaiting PNC", ["yes", "no", "not known"]).option == "not known"

