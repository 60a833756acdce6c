"""The quiz: generated from knowledge/, right answers that the protocol bears out, rounds and
option orders seeded per learner and round, answers recorded append-only with cited feedback."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import knowledge
from actions.induction import quiz
from actions.induction.flow import QUIZ, InductionFlow, Message
from casestore.induction import InductionService, QuizAnswer
from knowledge import normalise
from knowledge.induction import load_tour


@pytest.fixture(scope="module")
def bank(kb, tour):
    return quiz.question_bank(kb, tour)


def test_the_bank_covers_every_kind_of_knowledge(bank) -> None:
    kinds = Counter(question.kind for question in bank)
    assert set(kinds) == {"which-paragraph", "is-listed", "side", "when", "which-says", "flag", "glossary"}
    assert len({question.id for question in bank}) == len(bank)
    assert all(question.wrong and question.cites for question in bank)


def test_which_paragraph_answers_are_borne_out_by_the_protocol(kb, bank) -> None:
    labels = {unit.label: unit for unit in kb.units.values()}
    for question in (q for q in bank if q.kind in ("which-paragraph", "which-says")):
        words = question.prompt.split("“", 1)[1].rsplit("”", 1)[0].removesuffix(" …")
        assert normalise(words) in normalise(labels[question.answer].text), question.id
        for wrong in question.wrong:  # no wrong option says it too
            assert normalise(words).rstrip(";. ") not in normalise(labels[wrong].text), (question.id, wrong)


def test_is_it_listed_questions(kb, bank) -> None:
    listed = {q.id: q for q in bank if q.kind == "is-listed"}
    yes = listed["listed:3.4:3.4:images-of-own-children"]
    assert yes.prompt == "Is “Images of own Children” one of the points in 3.4 — Early significant-harm factors?"
    assert yes.answer == "Yes" and yes.cites == ("3.4",)
    for question in listed.values():
        if question.answer == "No":
            words = question.prompt.split("“", 1)[1].rsplit("”", 1)[0]
            assert normalise(words).rstrip(";. ") not in normalise(kb.units[question.cites[0]].text)


def test_timescale_flag_and_glossary_questions(bank) -> None:
    by_id = {q.id: q for q in bank}
    begin = by_id["when:start-on-referral-day"]
    assert begin.answer == "On the day of referral" and begin.cites == ("3.8",)  # the protocol's words
    assert "Best practice is to begin the Care and Support Assessment / S.47 Enquiry on the day of referral" in begin.explanation
    leave = by_id["flag:consider-leaving-home"]
    assert leave.prompt.startswith("If any of the 3.4 points (Early significant-harm factors) is recorded as “yes”")
    assert leave.answer.startswith("If any of these risk factors are present, the meeting must consider")
    assert leave.cites[0] == "3.5"
    severity = by_id["glossary:severity"]
    assert "Severity" not in severity.prompt and "… refers to the type and degree of harm" in severity.prompt
    assert severity.answer == "Severity"


def test_rounds_and_options_are_seeded_by_learner_and_round(bank) -> None:
    first = quiz.round_questions(bank, "practitioner-1", 1)
    assert first == quiz.round_questions(bank, "practitioner-1", 1)
    assert first != quiz.round_questions(bank, "practitioner-1", 2)
    assert first != quiz.round_questions(bank, "practitioner-2", 1)
    assert len(first) == quiz.ROUND_LENGTH and len({q.kind for q in first}) >= 6
    posed = [quiz.pose(q, "practitioner-1", 1, n) for n, q in enumerate(first, 1)]
    assert posed == [quiz.pose(q, "practitioner-1", 1, n) for n, q in enumerate(first, 1)]
    assert all(p.option(p.right_letter) == p.question.answer for p in posed)


@pytest.mark.parametrize(("typed", "letter"), [("b", "B"), ("Option C", "C"), ("the answer is d", "D"),
                                               ("2", "B"), ("purple", None), ("e", None)])
def test_typed_answers(bank, typed, letter) -> None:
    posed = quiz.pose(next(q for q in bank if q.kind == "which-paragraph"), "x", 1, 1)
    assert quiz.parse_answer(typed, posed) == letter
    yes_no = quiz.pose(next(q for q in bank if q.kind == "is-listed"), "x", 1, 1)
    assert quiz.parse_answer("yes", yes_no) == "A" and quiz.parse_answer("no", yes_no) == "B"
    assert quiz.parse_answer(posed.options[2], posed) == "C"


def test_a_modified_copy_of_the_data_changes_the_quiz(knowledge_copy: Path) -> None:
    root = knowledge_copy
    timescales = yaml.safe_load((root / "data/timescales.yml").read_text(encoding="utf-8"))
    timescales.append({"id": "first-visit-within-a-week", "event": "First home visit", "from": "referral",
                       "offset": {"working_days": 5}, "strength": "should",
                       "says": "Best practice is to begin the Care and Support Assessment / S.47 Enquiry",
                       "cites": ["3.8"]})
    (root / "data/timescales.yml").write_text(yaml.safe_dump(timescales, sort_keys=False), encoding="utf-8")
    glossary = yaml.safe_load((root / "data/glossary.yml").read_text(encoding="utf-8"))
    glossary = [term for term in glossary if term["id"] != "severity"]
    (root / "data/glossary.yml").write_text(yaml.safe_dump(glossary, sort_keys=False), encoding="utf-8")
    changed = {q.id: q for q in quiz.question_bank(knowledge.load(root), load_tour(root))}
    assert changed["when:first-visit-within-a-week"].answer == "5 working days after the referral"
    assert "5 working days after the referral" in changed["when:start-on-referral-day"].wrong
    assert "glossary:severity" not in changed


def answer(flow: InductionFlow, letter: str):
    posed = flow._current()
    return posed, flow.handle(QUIZ, Message(f'/quiz_answer{{"option": "{posed.question.id}|{letter}"}}',
                                            "quiz_answer", f"{posed.question.id}|{letter}"))


def test_a_quiz_round_records_answers_and_cites_the_paragraph(kb, tour, session, people, asker) -> None:
    service = InductionService(session, people["alice"])
    flow = InductionFlow(kb, tour, service, "practitioner-1", asker)
    start = flow.start_quiz()
    assert start.mode == QUIZ and "Quiz round 1, question 1 of 10" in start.replies[1].text
    posed, right = answer(flow, flow._current().right_letter)
    assert right.replies[0].text.startswith("Right.")
    assert right.replies[0].citations == list(posed.question.cites)
    assert "question 2 of 10" in right.replies[1].text
    posed, wrong = answer(flow, next(l for l in "ABCD" if l != flow._current().right_letter))
    assert wrong.replies[0].text.startswith(f"Not quite: the answer is {posed.right_letter}")
    stale = flow.handle(QUIZ, Message("/quiz_answer", "quiz_answer", f"{posed.question.id}|A"))
    assert "earlier question" in stale.replies[0].text
    tally = service.tally()
    assert (tally.answered, tally.right, tally.attempt) == (2, 1, 1)
    for _ in range(8):
        posed, last = answer(flow, "A")
    assert last.mode is None and "That's the end of round 1" in last.replies[-1].text
    assert "Quiz round 2, question 1 of 10" in flow.start_quiz().replies[1].text
    assert "Quiz: 10 questions taken" in flow.report().text


def test_quiz_answers_are_append_only(kb, tour, session, people, asker) -> None:
    service = InductionService(session, people["alice"])
    service.record_answer(1, "glossary:cp", "A: CP", True)
    for statement in ("UPDATE quiz_answers SET correct = false", "DELETE FROM quiz_answers"):
        with pytest.raises(DBAPIError) as raised:
            session.execute(text(statement))
        session.rollback()
        assert "append-only" in str(raised.value)
    if session.get_bind().dialect.name == "postgresql":
        with pytest.raises(DBAPIError):
            session.execute(text("TRUNCATE quiz_answers"))
        session.rollback()
    assert session.query(QuizAnswer).count() == 1
    service.move_to(3, "referral")  # the tour position is working state: it changes freely
    service.move_to(4, "strategy-meeting")
    session.execute(text("DELETE FROM induction_progress"))
    session.commit()
    assert service.position() is None


def test_a_question_mid_quiz_is_answered_and_the_question_asked_again(kb, tour, session, people, asker) -> None:
    flow = InductionFlow(kb, tour, InductionService(session, people["bob"]), "practitioner-2", asker)
    flow.start_quiz()
    turn = flow.handle(QUIZ, Message("when should the strategy meeting happen?", "ask_protocol"))
    assert asker.asked and turn.replies[0].citations == ["3.9"]
    assert "question 1 of 10" in turn.replies[-1].text
    skipped = flow.handle(QUIZ, Message("skip", "skip"))
    assert skipped.replies[0].text.startswith("Skipped: the answer is")


def test_a_letter_typed_where_the_quiz_moved_on_elsewhere_is_not_scored(kb, tour, session, people, asker) -> None:
    service = InductionService(session, people["alice"])
    flow = InductionFlow(kb, tour, service, "practitioner-1", asker)
    flow.start_quiz()
    shown_here = flow.shown
    answer(flow, "A")  # another conversation (Teams, a second tab) answers question 1
    stale = flow.handle(QUIZ, Message("B", "quiz_answer", shown=shown_here))
    assert "moved on in another conversation" in stale.replies[0].text
    assert service.tally().answered == 1
    fresh = flow.handle(QUIZ, Message("B", "quiz_answer", shown=flow._current().question.id))
    assert "moved on" not in fresh.replies[0].text and service.tally().answered == 2


def test_an_option_typed_with_a_slip_is_read_as_that_option(bank) -> None:
    side = quiz.pose(next(q for q in bank if q.kind == "side"), "x", 1, 1)
    right = side.question.answer
    slipped = right[:-3] + right[-2:]  # one letter dropped near the end
    assert quiz.parse_answer(slipped, side) == side.right_letter
