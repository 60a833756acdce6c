"""Reading answers, triage selections and checklist names."""
import pytest

import knowledge
from actions.checklist.parsing import find_checklist, match_option, parse_triage, wants_to_cancel

YNU = ["yes", "no", "not known"]


@pytest.mark.parametrize("text,option,note", [
    ("yes", "yes", None), ("Yes.", "yes", None), ("y", "yes", None), ("yep", "yes", None),
    ("no", "no", None), ("nope", "no", None), ("not known", "not known", None),
    ("dunno", "not known", None), ("don't know", "not known", None), ("not knwon", "not known", None),
    ("yse", "yes", None), ("yess", "yes", None),
    ("yes - police disclosure 3 May", "yes", "police disclosure 3 May"),  # the note as typed
    ("no, checked with the police", "no", "checked with the police"),
    ("not known: awaiting PNC", "not known", "awaiting PNC"),
])
def test_options_and_inline_notes(text, option, note):
    match = match_option(text, YNU)
    assert match is not None and match.option == option and match.note == note


@pytest.mark.parametrize("text", ["maybe", "perhaps later", "blue", "nobody", "yesterday", ""])
def test_answers_that_fit_no_option(text):
    assert match_option(text, YNU) is None


def test_longer_options_win_over_their_prefixes():
    assert match_option("not observed", ["observed", "not observed", "not known"]).option == "not observed"
    assert match_option("highly likely", ["highly likely", "likely", "unlikely"]).option == "highly likely"
    assert match_option("not done", ["done", "not done", "not known"]).option == "not done"


def test_button_payload_entity_and_intent():
    assert match_option("/choose", YNU, option_entity="not known").option == "not known"
    assert match_option("aye", YNU, intent="affirm").option == "yes"
    assert match_option("aye", ["extreme", "serious", "concerning"], intent="affirm") is None


@pytest.mark.parametrize("text,expected", [
    ("present 1, 3; not known 5", {1: "yes", 3: "yes", 5: "not known"}),
    ("2 4", {2: "yes", 4: "yes"}),
    ("1 and 9", {1: "yes", 9: "yes"}),
    ("none", {}),
    ("nk 2 present 7", {2: "not known", 7: "yes"}),
    ("present 3 nk 5", {3: "yes", 5: "not known"}),
    ("present 1 and 3, not known 4 & 6", {1: "yes", 3: "yes", 4: "not known", 6: "not known"}),
    ("yes: 2; dont know: 9", {2: "yes", 9: "not known"}),
])
def test_triage_selection(text, expected):
    assert parse_triage(text, 9) == expected


@pytest.mark.parametrize("text", ["present 10", "0", "the dog", "some of them"])
def test_triage_selection_refused(text):
    assert parse_triage(text, 9) is None


@pytest.mark.parametrize("text,checklist_id", [
    ("start the 3.4 check for NW/2026/0012", "3.4"),
    ("do 10.9 on NW/2026/0012", "10.9"),
    ("appendix 1 siblings for NW/2026/0001", "appendix-1/siblings"),
    ("the appendix 7 form", "appendix-7"),
    ("good enough protective parenting", "10.13"),
    ("capacity to protect couple relationship", "appendix-1/couple-relationship"),
    ("strat mtg considerations for NW/2026/0777", "3.1"),
])
def test_checklist_named(text, checklist_id):
    found = find_checklist(text, knowledge.load())
    assert [c.id for c in found] == [checklist_id]


def test_appendix_1_without_a_group_offers_all_five():
    found = find_checklist("start appendix 1 for NW/2026/0012", knowledge.load())
    assert len(found) == 5 and all(c.id.startswith("appendix-1/") for c in found)


def test_nothing_named():
    assert find_checklist("start a checklist", knowledge.load()) == []


def test_plain_acknowledgements_are_folded_into_the_next_reply():
    from actions.checklist.actions import combined
    from actions.replies import Reply

    replies = [Reply("Recorded: “yes”."), Reply("Flag — ...", ["3.5"]), Reply("Skipped."), Reply("item 3", ["3.4"], [{"title": "Yes", "payload": "/x"}])]
    out = combined(replies)
    assert [r.text for r in out] == ["Recorded: “yes”.\n\nFlag — ...", "Skipped.\n\nitem 3"]
    assert out[0].citations == ["3.5"] and out[1].buttons
    assert [r.text for r in combined([Reply("Paused.")])] == ["Paused."]


@pytest.mark.parametrize("text", ["cancel", "Stop.", "stop the triage", "forget it", "never mind", "quit please"])
def test_leaving_words(text):
    assert wants_to_cancel(text)


@pytest.mark.parametrize("text", ["stopped at the border", "cancelled contact visits", "present 1, 3"])
def test_answers_are_not_leaving_words(text):
    assert not wants_to_cancel(text)


@pytest.mark.parametrize("text, checklist", [
    ("start the non-abusing parent check", "appendix-1/non-abusing-parent"),   # re-trial: not understood
    ("start the siblings check for NW/2026/0012", "appendix-1/siblings"),
    ("start the couple relationship checklist", "appendix-1/couple-relationship"),
    ("start the 10.9 check for the victim", "10.9"),                         # a number still decides
])
def test_an_appendix_1_part_named_by_its_own_words(kb, text: str, checklist: str) -> None:
    assert [c.id for c in find_checklist(text, kb)] == [checklist]
