"""A checklist answer the web chat held back for personal details, and the practitioner chose to
send as typed, is recorded as typed without a second “keep it”. The choice is taken only from a
signed web claim naming that very text (channels.identity: `pdc`); a bare metadata flag, another
text, another channel or a bad signature gets the usual question, and nothing is recorded."""
from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from rasa_sdk import Tracker

from actions import runtime
from actions.checklist.actions import ActionChecklistTurn, ActionStartChecklist
from casestore import accounts
from casestore.service import CaseService
from channels.identity import AUDIENCE, CONFIRMED_TEXT, identity_secret, issue_claim, text_digest

from test_actions import CASE, case_store, run, slot, tracker  # noqa: F401  (case_store: the fixture)

TYPED = "They met through Gareth Jones at 12 High Street"


def confirmed(text: str, state: dict, claim: str | None = None, flag: Any = True, intent: str = "nlu_fallback",
              entities: list[dict] | None = None) -> Tracker:
    """The message as the web app forwards it after 'Send it as typed'."""
    metadata = {"identity": claim if claim is not None else issue_claim("demo", "web", confirmed_text=text),
                "channel": "web", "personal_details_confirmed": flag}
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.3}, "entities": entities or [],
              "metadata": metadata}
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata, "input_channel": "rest"}]
    return Tracker("conversation-1", {"checklist": state}, latest, events, False, None, {}, "action_listen")


def start(checklist: str) -> dict:
    started, _ = run(ActionStartChecklist(), tracker(f"start the {checklist} check for {CASE}", "start_checklist"))
    return slot(started, "checklist")


def recorded(checklist: str) -> dict:
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        return {k.split(":", 1)[1]: (e.value, e.note) for k, e in service.current_answers(CASE, checklist).items()}


def test_sent_as_typed_in_the_web_chat_it_is_recorded_without_asking_again():
    events, messages = run(ActionChecklistTurn(), confirmed(TYPED, start("10.11")))
    assert recorded("10.11") == {"how-they-met": (TYPED, None)}  # exactly what was typed
    assert slot(events, "checklist")["item"] == "friends-family-hobbies"
    assert slot(events, "checklist")["awaiting"] == "answer"
    text = messages[0]["text"]
    assert text.startswith(f"Recorded: “{TYPED}”. Kept as typed, with the personal details you chose to send.")
    assert "keep it" not in text.lower()


def test_an_option_with_a_confirmed_note_is_recorded_with_its_note():
    note = "Gareth Jones told police 3 May"
    text = f"yes - {note}"
    events, _ = run(ActionChecklistTurn(), confirmed(text, start("3.4"), intent="affirm"))
    assert recorded("3.4") == {"previous-history": ("yes", note)}
    assert slot(events, "checklist")["item"] == "previous-contact-abuse"


def test_a_confirmed_note_asked_for_is_recorded():
    state = start("10.13")
    events, _ = run(ActionChecklistTurn(), tracker("observed", "choose", {"checklist": state},
                                                   entities=[{"entity": "option", "value": "observed"}]))
    note = "seen by Sarah Davies at 4 Bryn Road"
    events, _ = run(ActionChecklistTurn(), confirmed(note, slot(events, "checklist")))
    [(value, kept)] = recorded("10.13").values()
    assert (value, kept) == ("observed", note)


@pytest.mark.parametrize("how", ["flag without the text in the claim", "claim for another text", "flag not true"])
def test_a_confirmation_not_signed_for_this_text_is_not_taken(how):
    claim = {"flag without the text in the claim": issue_claim("demo", "web"),
             "claim for another text": issue_claim("demo", "web", confirmed_text="They met at work"),
             "flag not true": None}[how]
    events, messages = run(ActionChecklistTurn(), confirmed(TYPED, start("10.11"), claim=claim,
                                                            flag="true" if how == "flag not true" else True))
    assert recorded("10.11") == {}
    assert slot(events, "checklist")["awaiting"] == "pii_confirm"
    assert "say “keep it” to record it as written" in messages[0]["text"]


def test_a_forged_confirmation_does_no_case_work():
    forged = issue_claim("demo", "web", confirmed_text=TYPED, secret="another-secret-" * 3)
    events, messages = run(ActionChecklistTurn(), confirmed(TYPED, start("10.11"), claim=forged))
    assert recorded("10.11") == {} and "could not be verified" in messages[0]["text"]


def test_teams_messages_are_never_confirmed():
    """Teams has no screen before sending, so a Teams claim cannot carry a confirmation, and one
    signed with it anyway (the shared secret) is not taken."""
    with runtime.sessions()() as session:
        accounts.link_teams_identity(session, "demo", "aad-object-id", "tenant-id")
        session.commit()
    with pytest.raises(ValueError):
        issue_claim("aad-object-id", "teams", tid="tenant-id", confirmed_text=TYPED)
    payload = {"sub": "aad-object-id", "idp": "teams", "tid": "tenant-id", "aud": AUDIENCE,
               "iat": int(time.time()), "exp": int(time.time()) + 600, CONFIRMED_TEXT: text_digest(TYPED)}
    teams = jwt.encode(payload, identity_secret(), algorithm="HS256")
    events, messages = run(ActionChecklistTurn(), confirmed(TYPED, start("10.11"), claim=teams))
    assert recorded("10.11") == {} and slot(events, "checklist")["awaiting"] == "pii_confirm"


def test_an_unconfirmed_message_is_still_asked_about():
    _, messages = run(ActionChecklistTurn(), tracker(TYPED, "nlu_fallback", {"checklist": start("10.11")}))
    assert "personal details" in messages[0]["text"] and recorded("10.11") == {}
