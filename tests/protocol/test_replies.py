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


def test_an_appendix_asked_for_as_a_whole_names_its_parts() -> None:
    """Audit fault 14: "Appendix 7" and "capacity to protect appendix" showed only the heading."""
    form = answer_question("Appendix 7", None)
    assert form.citations == ["appendix-7"]
    assert "- Part 1 – Details of Offender" in form.text and "- Part 18 – Name of Social Worker" in form.text
    protect = answer_question("capacity to protect appendix", None)
    assert protect.citations[0] == "appendix-1" and "- Couple relationship" in protect.text
    assert "has these parts" not in answer_question("appendix 6", None).text  # the references have none


class _Tracker:
    latest_message: dict = {}

    def __init__(self, citations: list[str]):
        self.slots = {"last_citations": citations, "last_question": ""}

    def get_slot(self, name: str):
        return self.slots.get(name)


def test_the_whole_paragraph_on_tell_me_more_has_no_markdown() -> None:
    """Audit: "**Significant Harm**" and "❖" bullets appeared in the "why?" / "tell me more" reply."""
    from actions.protocol_answer import expand

    for unit_id in ["3.4", "8.4", "appendix-5", "scope"]:
        text = expand(_Tracker([unit_id])).text
        assert "**" not in text and "❖" not in text and " *" not in text, unit_id
    assert "risk of Significant Harm at an early stage" in expand(_Tracker(["3.4"])).text


def test_the_welsh_reply_says_the_whole_message_in_welsh_then_in_english() -> None:
    answer = answer_question("Ydy'r plant yn ddiogel?", None)
    assert answer.outcome == "not_english" and answer.citations == []
    welsh, english = answer.text.split("\n\n")
    assert "dim ond yn Saesneg y gallaf ateb" in welsh and "Gofynnwch eich cwestiwn yn Saesneg" in welsh
    assert "I can only answer in English" in english and "Please ask your question in English" in english


class _Asked(_Tracker):
    def __init__(self, citations: list[str], question: str):
        super().__init__(citations)
        self.slots["last_question"] = question


def test_tell_me_more_gives_the_rest_of_a_paragraph_or_says_there_is_no_more() -> None:
    """Re-trial: "why?" and "tell me more" after 3.5 repeated it word for word."""
    from actions.protocol_answer import expand

    whole = answer_question("should the alleged offender be asked to leave the house while we assess", None)
    said = expand(_Asked(whole.citations, whole.question)).text
    assert "quoted all of 3.5" in said and "in full" not in said
    assert said.index("3.6 — ") < said.index("Appendix 6 — ")  # the references list comes last
    part = answer_question("what should we find out from police and our own enquiries about his drinking", None)
    assert part.citations[0] == "7.4" and "…" in part.text
    assert "7.4 — Information to obtain from the police and own enquiries, in full:" in expand(
        _Asked(part.citations, part.question)).text
