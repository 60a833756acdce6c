"""The quiz never marks wrong what the protocol also says (found by a new-staff trial, 24 Nov 2026)."""
import pytest

import knowledge
from actions.induction import quiz
from knowledge.induction import load_tour


@pytest.fixture(scope="module")
def bank():
    return {q.id: q for q in quiz.question_bank(knowledge.load(), load_tour())}


def test_a_paragraph_saying_the_item_in_other_words_is_not_a_wrong_answer(bank):
    question = bank["paragraph:3.4:previous-history"]
    assert question.answer.startswith("3.4") and not any(w.startswith("10.9") for w in question.wrong)


def test_headings_pointing_the_same_way_are_not_wrong_answers_for_each_other(bank):
    sides = [q for q in bank.values() if q.kind == "side" and q.id.startswith("side:appendix-1/siblings")]
    assert sides
    for question in sides:
        assert not any(quiz._direction(w) == quiz._direction(question.answer) for w in question.wrong)


def test_an_item_whose_heading_is_in_doubt_is_not_asked(bank):
    assert not any(q.kind == "side" and "Child Protection Plan" in q.prompt for q in bank.values())


def test_timescales_use_the_protocols_words_and_never_mark_a_second_right_answer_wrong(bank):
    comprehensive = bank["when:comprehensive-assessment-42-working-days"]
    assert comprehensive.answer == "Within the 42 Working Days"
    assert "By the first review conference (3 months)" not in comprehensive.wrong  # 7.3 says that too
    assert bank["when:specialist-assessment-before-second-review"].answer.startswith("Before the second review")
    assert "when:safeguards-at-start" not in bank  # 3.7 gives no date: "at the start of your work"


def test_a_flag_question_names_the_paragraph_and_offers_no_flag_from_the_same_paragraphs(bank):
    agreement = next(q for q in bank.values() if q.kind == "flag" and "supervised contact" in q.prompt)
    assert "(3.6)" in agreement.prompt and "(6.2)" not in agreement.prompt
    conviction = next(q for q in bank.values() if q.kind == "flag" and "previous sexual conviction" in q.prompt)
    assert not any("asked to leave the home" in w for w in conviction.wrong)  # 3.5 shares 3.4 with it
