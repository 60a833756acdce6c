"""Every unit can be quoted: an answer never names a paragraph without its words."""
import pytest

import knowledge
from actions.retrieval import retriever


@pytest.mark.parametrize("unit_id", [u for u in knowledge.load().unit_order if u != "14.0"])
def test_every_unit_has_words_to_quote(unit_id):
    quoted = retriever().quote(unit_id, None, whole_if_unmatched=True)
    assert quoted.strip(" .…\n"), f"{unit_id} has nothing to quote"


def test_a_sentence_starting_with_the_title_is_quoted_not_dropped():
    from actions.protocol_answer import answer_question

    answer = answer_question("what should the first interview with the partner focus on", None)
    assert "10.7" in answer.citations and "developing a rapport" in answer.text


def test_a_question_asking_for_a_list_gets_the_whole_list():
    """Audit fault 10: "s47 outcomes?" showed outcome 1 of 4; "risk factors in the couple relationship"
    only the "Risk lowered if" list."""
    from actions.protocol_answer import answer_question

    outcomes = answer_question("s47 outcomes?", None)
    assert outcomes.citations[0] == "4.1" and "…" not in outcomes.text
    assert all(f"\n{n}. Child Protection concerns" in outcomes.text for n in (1, 2, 3, 4))
    couple = answer_question("risk factors in the couple relationship", None)
    assert couple.citations[0] == "appendix-1/couple-relationship"
    assert "Risk increased if:" in couple.text and "Risk lowered if" in couple.text


def test_a_short_unit_is_quoted_whole():
    """Audit fault 10: 5.1 was shown without the sentence that answers "on my own or with police?"."""
    from actions.protocol_answer import answer_question

    answer = answer_question("can I do the disclosure visit on my own or does it need police there", None)
    assert answer.citations[0] == "5.1" and "…" not in answer.text
    assert "The strategy meeting will agree who and what will be disclosed" in answer.text


def test_a_numbered_heading_is_not_a_list_item():
    from actions.retrieval.quote import split

    assert split("1. Introduction\nThe framework is used.") == [("1. Introduction", False), ("The framework is used.", False)]
    assert split("Outcomes:\n1. Child Protection concerns are substantiated and more.")[1][1] is True
