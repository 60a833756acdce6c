"""What the assistant says around the protocol's words: honest about a weak match, and whole where
it stands in for a language or a follow-up."""
from __future__ import annotations

from actions.protocol_answer import answer_question


def test_a_weak_match_does_not_say_the_protocol_lacks_what_its_buttons_may_hold() -> None:
    """Audit fault 6-8: "I couldn't find that in the protocol" above buttons that held the answer."""
    answer = answer_question("there were images of his own kids on the laptop, does that change the risk", None)
    assert answer.outcome == "not_covered" and "show me 3.4" in [b["payload"] for b in answer.buttons]
    assert "couldn't find" not in answer.text
    assert answer.text.startswith("I'm not sure the protocol answers this directly")
