"""Induction faults found by a practitioner trial (25 Nov 2026), each pinned: going back to a
checklist from the middle of the quiz, restarting the quiz, what the Appendix 1 stop opens with,
the skip text, and wrong options the protocol would bear out."""
from __future__ import annotations

import re

import pytest
import yaml
from rasa_sdk.events import SlotSet

from actions.induction import quiz, tour as stops
from actions.induction.flow import QUIZ, RESUME_CHECKLIST, TOUR, InductionFlow, Message, wants_restart
from casestore.induction import InductionService
from knowledge import KnowledgeError
from knowledge.induction import INDUCTION_FILE, build_tour
from knowledge.loader import PACKAGE_ROOT
from tests.checklists.test_actions import CASE, case_store, run, slot, tracker  # noqa: F401  (case_store: the fixture)


@pytest.fixture
def alice(kb, tour, session, people, asker) -> InductionFlow:
    return InductionFlow(kb, tour, InductionService(session, people["alice"]), "practitioner-1", asker)


@pytest.fixture(scope="module")
def bank(kb, tour):
    return {q.id: q for q in quiz.question_bank(kb, tour)}


# ----- 1. leaving the quiz for a checklist, and restarting it ------------------------------------

@pytest.mark.parametrize("typed", [f"resume for {CASE}", "back to my checklist"])
def test_resume_for_a_case_mid_quiz_leaves_the_quiz_and_says_so(alice, typed) -> None:
    alice.start_quiz()
    alice.handle(QUIZ, Message("B", "quiz_answer"))
    turn = alice.handle(QUIZ, Message(typed, "resume_checklist"))
    assert turn.mode is None and turn.then == RESUME_CHECKLIST
    assert turn.replies[0].text.startswith("Quiz paused at question 2 of round 1 for your checklist")
    assert "start quiz" in turn.replies[0].text
    assert alice.progress.tally().answered == 1  # nothing recorded for the question left open


def test_a_bare_resume_mid_quiz_stays_in_the_quiz(alice) -> None:
    alice.start_quiz()
    turn = alice.handle(QUIZ, Message("resume", "resume_checklist"))
    assert turn.mode == QUIZ and turn.then is None


def test_resume_for_a_case_mid_tour_hands_over_at_once(alice) -> None:
    alice.start_tour()
    turn = alice.handle(TOUR, Message(f"resume for {CASE}", "resume_checklist"))
    assert turn.mode is None and turn.then == RESUME_CHECKLIST and "Tour paused at stop 1" in turn.replies[0].text
    assert alice.handle(TOUR, Message("resume", "resume_checklist")).mode == TOUR  # bare: carries on the tour


@pytest.mark.parametrize("typed", ["restart quiz", "start the quiz again", "restart the quiz",
                                   "start quiz from the beginning", "start the tour again"])
def test_restart_words(typed) -> None:
    assert wants_restart(typed)


@pytest.mark.parametrize("typed", ["start quiz", "quiz me", "carry on with the quiz", "/start_quiz"])
def test_not_restart_words(typed) -> None:
    assert not wants_restart(typed)


def test_restarting_mid_round_starts_a_new_round_and_keeps_the_answers(alice) -> None:
    alice.start_quiz()
    alice.handle(QUIZ, Message("A", "quiz_answer"))
    alice.handle(QUIZ, Message("skip", "skip"))
    carried_on = alice.start_quiz()
    assert "Carrying on with quiz round 1: question 3 of 10" in carried_on.replies[0].text
    restarted = alice.start_quiz(restart=True)
    assert restarted.replies[0].text.startswith("Starting the quiz again: round 2, from question 1 of 10")
    assert "Quiz round 2, question 1 of 10" in restarted.replies[1].text
    tally = alice.progress.tally()
    assert (tally.attempt, tally.answered, tally.answered_in_attempt) == (2, 2, 0)
    # at the start of a round there is nothing to restart: the same round
    assert "Quiz round 2: 10 questions" in alice.start_quiz(restart=True).replies[0].text


def test_restarting_the_tour_starts_at_stop_1(alice, tour) -> None:
    alice.start_tour()
    alice.handle(TOUR, Message("next", "induction_next"))
    turn = alice.start_tour(restart=True)
    assert turn.replies[0].text.startswith(f"Starting the tour again at stop 1 of {len(tour.stops)}")
    assert "stop 1 of" in turn.replies[1].text


def _quiz_in_progress() -> dict:
    from actions.induction.actions import ActionStartQuiz

    events, _ = run(ActionStartQuiz(), tracker("start quiz", "start_quiz"))
    return {"induction_active": True, "induction": slot(events, "induction")}


def test_the_action_leaves_the_quiz_and_resumes_the_checklist():
    from actions.checklist.actions import ActionChecklistTurn, ActionStartChecklist
    from actions.induction.actions import ActionInductionTurn

    started, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    run(ActionChecklistTurn(), tracker("yes", "affirm", {"checklist": slot(started, "checklist"),
                                                         "checklist_active": True}))
    slots = _quiz_in_progress()
    events, messages = run(ActionInductionTurn(), tracker(f"resume for {CASE}", "resume_checklist", slots))
    assert SlotSet("induction_active", False) in events and slot(events, "induction")["mode"] is None
    assert SlotSet("checklist_active", True) in events and SlotSet("current_case", CASE) in events
    assert slot(events, "checklist")["item"] == "previous-contact-abuse"
    assert messages[0]["text"].startswith("Quiz paused at question 1 of round 1 for your checklist")
    assert any((m.get("text") or "").startswith("Resuming 3.4") for m in messages[1:])


def test_the_action_restarts_the_quiz():
    from actions.induction.actions import ActionInductionTurn, ActionStartQuiz

    slots = _quiz_in_progress()
    run(ActionInductionTurn(), tracker("skip", "skip", slots))
    events, messages = run(ActionStartQuiz(), tracker("restart quiz", "start_quiz", slots))
    assert messages[0]["text"].startswith("Starting the quiz again: round 2, from question 1 of 10")
    assert SlotSet("induction_active", True) in events and slot(events, "induction")["mode"] == QUIZ


# ----- 2. the Appendix 1 stop opens with what the appendix is for ----------------------------------

def test_the_appendix_1_stop_opens_with_its_point_and_keeps_its_source(kb, tour) -> None:
    index = tour.index("capacity-to-protect-parent")
    parts = stops.stop_text(kb, tour, index).split("\n\n")
    assert parts[1].startswith("What Appendix 1 is for (7.7):\n“These provide a comprehensive set of indicators")
    assert "- A non-abusing parent/carer is less able or more able to protect;" in parts[1]
    assert any(part.startswith("Appendix 1 — Assessment of the capacity to protect") and "Source: Morrison" in part
               for part in parts[2:])
    assert stops.stop_citations(kb, tour, index)[:3] == ["appendix-1", "appendix-1/non-abusing-parent", "7.7"]


def test_no_stop_opens_with_a_source_reference(kb, tour) -> None:
    for index in range(len(tour.stops)):
        first = stops.stop_text(kb, tour, index).split("\n\n")[1]
        assert "“Source:" not in first.partition("\n")[2][:10], tour.stops[index].id  # a bare label has no words


def test_the_appendix_7_stop_does_not_open_with_its_own_title_again(kb, tour) -> None:
    """The protocol says nothing of what Appendix 7 is for (only the contents list names it), so
    there is no point to show: the form's own heading lines, which only repeat its title, are left
    out, and the stop names the form and goes on to its parts."""
    text = stops.stop_text(kb, tour, tour.index("assessment-form-details"))
    parts = text.split("\n\n")
    assert parts[1] == "Appendix 7 — Assessment of Internet Offenders – form"
    assert parts[2].startswith("Appendix 7, Part 1 – Details of Offender:\n“Name | DOB")
    assert "“Appendix 7" not in text and "ASSESSMENT OF INTERNET OFFENDERS" not in text
    for index in range(len(tour.stops)):  # no stop quotes a unit's bare appendix number
        assert not re.search(r"“Appendix \d+\n", stops.stop_text(kb, tour, index)), tour.stops[index].id


def test_a_point_not_in_the_protocols_words_is_refused(kb) -> None:
    raw = yaml.safe_load((PACKAGE_ROOT / INDUCTION_FILE).read_text(encoding="utf-8"))
    stop = next(s for s in raw["stops"] if s.get("point"))
    stop["point"]["quote"] = "Appendix 1 is a risk score."
    with pytest.raises(KnowledgeError, match="point: quote is not found in its cited unit 7.7"):
        build_tour(kb, raw)
    raw["same_subject"] = [["Children's Services", "the council's safeguarding hub"]]
    stop["point"]["quote"] = "These provide a comprehensive set of indicators"
    with pytest.raises(KnowledgeError, match="is not the protocol's words"):
        build_tour(kb, raw)


# ----- 7. the skip text, and wrong options the protocol bears out ----------------------------------

def test_feedback_ends_a_sentence_once(kb, tour, session, people, asker) -> None:
    flow = InductionFlow(kb, tour, InductionService(session, people["bob"]), "practitioner-2", asker)
    flow.start_quiz()
    for _ in range(quiz.ROUND_LENGTH):
        posed = flow._current()
        turn = flow.handle(QUIZ, Message("skip", "skip"))
        first_line = turn.replies[0].text.split("\n")[0]
        assert not first_line.endswith("..") and first_line.endswith("."), (posed.question.id, first_line)


def test_a_part_that_lists_the_item_in_other_words_is_not_a_wrong_option(bank) -> None:
    previous_history = bank["paragraph:3.4:previous-history"]  # 7.4: "any known previous relevant professional involvement?"
    assert not any(w.startswith(("7.4", "10.9")) for w in previous_history.wrong)
    domestic_abuse = bank["paragraph:7.4:domestic-abuse-history"]  # Appendix 1: "History of domestic violence"
    assert not any(w.startswith(("10.9", "Appendix 1, Couple relationship")) for w in domestic_abuse.wrong)
    criminal = bank["paragraph:7.4:prior-criminal-history"]  # 3.4: "Previous history ...", "Known criminal lifestyle"
    assert not any(w.startswith("3.4") for w in criminal.wrong)


def test_every_which_paragraph_question_still_has_wrong_options_to_offer(bank) -> None:
    for question in bank.values():
        if question.kind == "which-paragraph":
            assert len(question.wrong) >= quiz.WRONG_OPTIONS, question.id


def test_an_is_it_listed_no_shares_no_telling_word_with_the_list(kb, tour, bank) -> None:
    likeness = quiz.Likeness(kb, tour)
    noes = [q for q in bank.values() if q.kind == "is-listed" and q.answer == "No"]
    assert noes
    for question in noes:
        item = question.prompt.split("“", 1)[1].rsplit("”", 1)[0]
        assert not likeness.touches(item, [kb.units[question.cites[0]]]), question.id
    # "Social isolation" is 7.4's "Are they socially isolated?"; a Child Protection Plan is
    # 3.4's "known to Children's Services"
    assert likeness.touches("Social isolation", [kb.units["7.4"]])
    assert likeness.touches("Are, or who have been subject of a Child Protection Plan in any category",
                            [kb.units["3.4"]])
