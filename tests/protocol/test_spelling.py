"""Typo handling in retrieval: corrections into the protocol's words only, and which unknown words
count for little when deciding whether a question is about the protocol."""
from __future__ import annotations

import pytest

from actions.retrieval import Outcome, retriever


@pytest.mark.parametrize("typed, meant", [
    ("wokers", "worker"), ("abel", "able"), ("assesment", "assessment"), ("probabtion", "probation"),
    ("psrs", "psr"), ("safegaurds", "safeguard"), ("psuedo", "pseudo"), ("safegarding", "safeguard"),
    ("reveiwed", "review"),
])
def test_misspellings_are_corrected_to_the_protocols_words(typed: str, meant: str) -> None:
    assert retriever().speller.correct(typed) == meant


@pytest.mark.parametrize("typed, meant", [("intrvw", "interview"), ("intervwd", "interview"), ("partnr", "partner"),
                                           ("revw", "review"), ("rprt", "report"), ("chld", "child")])
def test_words_typed_without_their_vowels_are_read_as_meant(typed: str, meant: str) -> None:
    assert retriever().speller.correct(typed) == meant


@pytest.mark.parametrize("question, unit", [("kids intervwd?", "11.0"), ("does mum need 2 b intervwd 1st", "3.9"),
                                            ("mum intervwd first?", "3.9")])
def test_phone_text_speak_about_core_points_is_answered_not_declined(question: str, unit: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome in (Outcome.ANSWER, Outcome.UNSURE) and decision.unit_ids[0] == unit


@pytest.mark.parametrize("word", ["remand", "perp", "weather", "ofsted", "unannounced"])
def test_real_words_are_not_turned_into_protocol_words(word: str) -> None:
    assert retriever().speller.correct(word) == word


def test_a_slip_counts_for_little_but_a_rare_real_word_still_counts() -> None:
    speller = retriever().speller
    assert speller.unrecognised("diffrent")       # one edit from "different", far more common
    assert not speller.unrecognised("ofsted")     # no such neighbour: taken at its word
    assert not speller.unrecognised("interview")  # the protocol's own word


def test_a_question_with_uncorrectable_typos_is_still_answered() -> None:
    decision = retriever().search("signs mum is less abel to protect")
    assert decision.outcome in (Outcome.ANSWER, Outcome.UNSURE)
    assert decision.unit_ids[0] == "appendix-1/non-abusing-parent"


def test_a_rare_word_foreign_to_the_protocol_still_marks_a_question_out_of_scope() -> None:
    assert retriever().search("can you summarise the new ofsted framework").outcome in (
        Outcome.OUT_OF_SCOPE, Outcome.NOT_COVERED)


@pytest.mark.parametrize("typed, meant", [("wiht", "with"), ("shoud", "should"), ("whcih", "which"), ("afetr", "after")])
def test_a_slip_in_a_function_word_is_read_as_that_word(typed: str, meant: str) -> None:
    assert retriever().speller.correct(typed) == meant


def test_a_slip_in_a_function_word_does_not_make_a_question_look_foreign() -> None:
    typed, meant = retriever().query("when shoud the strategy meeting happen"), retriever().query(
        "when should the strategy meeting happen")
    assert [group.word for group in typed.groups] == [group.word for group in meant.groups]


@pytest.mark.parametrize("typed", ["prnt", "polc"])  # parent or print, place or police: not guessed
def test_a_vowelless_word_with_two_readings_is_left_alone(typed: str) -> None:
    assert retriever().speller.correct(typed) == typed


def test_first_review_in_text_speak_is_7_3() -> None:
    assert retriever().search("wen is 1st revw").unit_ids[0] == "7.3"
