"""The chat API screens a message for personal details before it goes to Rasa (whose conversation
store keeps every message it is given): a message with details is held back, the page is told
what kinds were found (never the details), and only the same text sent again with
`"confirmed": true` is forwarded, marked as confirmed."""
from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casestore.websession import WebSession
from channels.web.database import session_factory
from web_support import FakeRasa, csrf_from

REFERRAL = ("Referral from police: Gareth JONES, 12 High Street, Rhyl, tel 07700 900123, arrested "
            "for downloading IIOC. Children Mia (4) and Tom (7). What do we do first?")
DETAILS = ["Gareth", "JONES", "12 High Street", "07700", "900123", "Mia", "Tom"]


def post(client: FlaskClient, message: str, **extra: object) -> tuple[int, dict]:
    token = csrf_from(client.get("/chat").get_data(as_text=True))
    response = client.post("/chat/api/message", json={"message": message, **extra},
                           headers={"X-CSRFToken": token})
    return response.status_code, response.get_json()


def test_a_message_with_personal_details_is_held_back(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    status, body = post(demo, REFERRAL)
    assert status == 422
    assert fake_rasa.requests == []  # nothing reached Rasa, so nothing reached its tracker store
    assert body["personal_details"] == ["a person's name", "an address", "a phone number"]
    assert body["error"].startswith("Not sent: your message looks like it contains personal details "
                                    "(a person's name, an address and a phone number).")
    assert "Send it as typed" in body["error"]
    echoed = json.dumps(body)
    assert [detail for detail in DETAILS if detail in echoed] == []


def test_sent_as_typed_after_the_warning_it_is_forwarded_and_marked(demo: FlaskClient,
                                                                    fake_rasa: FakeRasa) -> None:
    assert post(demo, REFERRAL)[0] == 422
    status, body = post(demo, REFERRAL, confirmed=True)
    assert status == 200 and body["replies"][0]["text"].startswith("Hello")
    [forwarded] = fake_rasa.requests
    assert forwarded["message"] == REFERRAL
    assert forwarded["metadata"]["personal_details_confirmed"] is True
    # the confirmation was for that message: the same text again is screened again
    assert post(demo, REFERRAL)[0] == 422
    assert post(demo, REFERRAL, confirmed=True)[0] == 200
    assert len(fake_rasa.requests) == 2


def test_a_confirmation_without_a_warning_is_not_taken(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    status, body = post(demo, REFERRAL, confirmed=True)
    assert status == 422 and body["personal_details"]
    assert fake_rasa.requests == []


def test_only_a_true_confirmation_counts(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, REFERRAL)[0] == 422
    for value in ("true", 1, "yes", None):
        assert post(demo, REFERRAL, confirmed=value)[0] == 422
    assert fake_rasa.requests == []


def test_text_changed_after_the_warning_is_screened_afresh(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, REFERRAL)[0] == 422
    edited = "Referral from police: dad arrested, tel 07700 900123. What do we do first?"
    status, body = post(demo, edited, confirmed=True)
    assert status == 422 and body["personal_details"] == ["a phone number"]
    assert fake_rasa.requests == []
    assert post(demo, edited, confirmed=True)[0] == 200  # confirmed for what it now says
    assert [r["message"] for r in fake_rasa.requests] == [edited]


def test_details_taken_out_are_forwarded_unmarked(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, REFERRAL)[0] == 422
    rephrased = "Police referral: dad arrested for downloading IIOC, two children at home. What do we do first?"
    assert post(demo, rephrased)[0] == 200
    [forwarded] = fake_rasa.requests
    assert forwarded["message"] == rephrased
    assert "personal_details_confirmed" not in forwarded["metadata"]


def test_protocol_language_is_not_held_back(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    for message in ("what does 3.4 say", "start the 3.4 check for NW/2026/0012", "kids 6 and 9, is that 3.4?",
                    "refer him to Lucy Faithfull or Stop It Now?", "Appendix 7 Part 4",
                    "yes - police disclosure 3 May", "/choose{\"option\": \"yes\"}"):
        assert post(demo, message)[0] == 200, message
    assert len(fake_rasa.requests) == 7


def test_the_held_text_is_not_kept_in_the_session(app: Flask, demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, REFERRAL)[0] == 422
    with session_factory(app)() as db:
        stored = " ".join(db.scalars(select(WebSession.data)))
    assert "chat_held" in stored
    assert [detail for detail in DETAILS if detail in stored] == []


def test_the_page_has_the_warning_and_its_confirm_button(demo: FlaskClient) -> None:
    html = demo.get("/chat").get_data(as_text=True)
    assert '<div id="chat-details" class="alert alert--warning chat-details" role="alert" hidden>' in html
    assert '<button type="button" class="button button--secondary" id="chat-details-send">Send it as typed</button>' in html


def test_the_confirmation_is_signed_for_the_text_forwarded(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    """The action server takes 'sent as typed' only from the signed claim, and only for this text."""
    from channels.identity import confirms, verify_claim

    assert post(demo, REFERRAL)[0] == 422
    assert post(demo, REFERRAL, confirmed=True)[0] == 200
    assert post(demo, "what does 3.4 say")[0] == 200
    sent_as_typed, plain = (verify_claim(r["metadata"]["identity"]) for r in fake_rasa.requests)
    assert confirms(sent_as_typed, REFERRAL) and not confirms(sent_as_typed, "what does 3.4 say")
    assert not confirms(plain, "what does 3.4 say") and "pdc" not in plain
    assert [detail for detail in DETAILS if detail in json.dumps(sent_as_typed)] == []  # a digest, not the text
