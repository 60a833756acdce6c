"""The request to leave personal details out names each kind found once, in plain English."""
from __future__ import annotations

from actions.protocol_answer import _personal_details_note, answer_question
from casestore import pii


def note(text: str, named: bool = False) -> str:
    return _personal_details_note(pii.screen(text), named)


def test_a_name_found_by_the_screen_and_set_aside_by_retrieval_is_said_once() -> None:
    # the screen labels "Sarah Davies" a person's name; retrieval also set a name aside ("in Bangor")
    reply = answer_question("Sarah Davies in Bangor, do we interview the partner first", None).text
    assert "(this message looks like it has a person's name):" in reply
    assert "a name, a person's name" not in reply


def test_each_kind_once_in_the_order_found_joined_with_and() -> None:
    text = "Sarah Davies, 12 High Street, 07700 900123, and Gareth Jones on 07700 900456"
    assert "looks like it has a person's name, an address and a phone number):" in note(text, named=True)
    assert "looks like it has a phone number and a name):" in note("ring 07700 900123", named=True)
    assert "looks like it has a name):" in note("dad is Gareth", named=True)  # a lone first name: retrieval's
    assert note("who should attend the strategy meeting") == ""


def test_no_request_when_the_web_chat_warned_and_it_was_sent_as_typed() -> None:
    from rasa_sdk import Tracker

    from channels.identity import issue_claim

    text = "Sarah Davies in Bangor, do we interview the partner first"

    def tracker(claim: str, flag: bool = True) -> Tracker:
        metadata = {"identity": claim, "channel": "web", "personal_details_confirmed": flag}
        latest = {"text": text, "intent": {"name": "ask_protocol", "confidence": 0.9}, "entities": [],
                  "metadata": metadata}
        events = [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata}]
        return Tracker("c-1", {}, latest, events, False, None, {}, "action_listen")

    assert "Please don't put personal details" not in answer_question(
        text, tracker(issue_claim("demo", "web", confirmed_text=text))).text
    # the flag alone, or a claim for other words, is not the practitioner's choice
    assert "Please don't put personal details" in answer_question(text, tracker(issue_claim("demo", "web"))).text
    assert "Please don't put personal details" in answer_question(
        text, tracker(issue_claim("demo", "web", confirmed_text="something else"))).text


def test_a_town_alone_is_no_personal_detail_but_a_home_or_a_person_is() -> None:
    """Re-trial: "in Bangor", "in Prestatyn" drew the request to leave a name out."""
    assert "Please don't put personal details" not in answer_question(
        "we are in Prestatyn, who goes to the strategy meeting", None).text
    assert "looks like it has a name" in answer_question(
        "they live at Ty Gwyn, who goes to the strategy meeting", None).text
    assert "looks like it has a name" in answer_question("dad is Gareth, do we need to interview the kids", None).text
