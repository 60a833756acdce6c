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
