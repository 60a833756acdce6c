"""Teams end to end: the Bot Connector emulator, the real Rasa server (trained model) and the
action server of the `stack` fixture (tests/conftest.py)."""
from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from channels.teams.emulator import FORGERIES, BotConnectorEmulator, TeamsUser, Turn

QUESTION = "who should attend the strategy meeting"


def citations_card(reply: dict[str, Any]) -> list[str] | None:
    """The cited ids shown by a citations card, or None if the reply is not one."""
    for attachment in reply.get("attachments", []):
        body = attachment.get("content", {}).get("body", [])
        if body and body[0].get("text") == "From the Joint Protocol":
            return [block["text"] for block in body[1:] if block.get("type") == "TextBlock"
                    and not block["text"].startswith("Protocol version")]
    return None


def wait_for_citations(turn: Turn, timeout: float = 60) -> list[str]:
    found = lambda: [c for r in turn.replies() if (c := citations_card(r))]  # noqa: E731
    assert turn.emulator.wait_until(lambda: bool(found()), timeout), f"no citations card: {turn.replies()}"
    return found()[0]


def tracker_events(stack: Any, sender_id: str) -> list[tuple[str, str]]:
    engine = create_engine(stack.env["TRACKER_DB_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT type_name, data FROM events WHERE sender_id = :s"),
                                {"s": sender_id}).all()
    finally:
        engine.dispose()
    return [(row[0], row[1]) for row in rows]


def test_a_protocol_question_is_answered_with_a_citations_card(stack: Any, teams: BotConnectorEmulator) -> None:
    user = teams.new_user()  # not linked to any practitioner: protocol answers still come
    turn = teams.send_message(QUESTION, user)
    assert turn.status == 200 and turn.elapsed < 15
    assert turn.activities()[0]["type"] == "typing"
    cited = wait_for_citations(turn)
    assert cited and all(label for label in cited)
    answer = turn.replies()[0]  # the answer's text (a card when it offers buttons), then the citations
    assert answer.get("text") or citations_card(answer) is None and answer["attachments"]
    assert any(kind == "user" and QUESTION in data for kind, data in tracker_events(stack, user.id))


def test_buttons_arrive_as_a_card_and_a_press_comes_back_as_its_payload(
        stack: Any, teams: BotConnectorEmulator) -> None:
    user = teams.new_user()
    turn = teams.send_message("which checklists are there", user)
    assert turn.status == 200
    has_card = lambda: any(r.get("attachments") for r in turn.replies())  # noqa: E731
    assert teams.wait_until(has_card, 60), turn.replies()
    [buttons] = [r for r in turn.replies() if r.get("attachments") and citations_card(r) is None]
    actions = buttons["attachments"][0]["content"]["actions"]
    assert actions and all(a["type"] == "Action.Submit" and "payload" in a["data"] for a in actions)
    payload = actions[0]["data"]["payload"]
    pressed = teams.send_submit(actions[0]["data"], user)
    assert pressed.status == 200 and pressed.wait(1)
    assert any(kind == "user" and json.loads(data).get("text") == payload
               for kind, data in tracker_events(stack, user.id))


@pytest.mark.parametrize("kind", FORGERIES)
def test_a_forged_token_is_refused_and_nothing_reaches_the_bot(stack: Any, teams: BotConnectorEmulator,
                                                               kind: str) -> None:
    user: TeamsUser = teams.new_user()
    turn = teams.send_message(f"{QUESTION} ({kind})", user, token=teams.forged_token(kind))
    assert turn.status == 401
    time.sleep(1.0)
    assert turn.activities() == []
    assert tracker_events(stack, user.id) == []


def test_an_unavailable_bot_connector_is_logged_and_nothing_crashes(stack: Any,
                                                                   teams: BotConnectorEmulator) -> None:
    user = teams.new_user()
    with teams.outage(replies=True):
        turn = teams.send_message("hello", user)
        assert turn.status == 200
        assert teams.wait_until(lambda: any(d["conversation_id"] == user.conversation_id and d["status"] == 503
                                            for d in teams.deliveries), 30)
        time.sleep(1.0)
    assert turn.activities() == []
    log = (stack.stack.logs / "rasa.log").read_text(errors="replace")
    assert "Could not deliver a" in log and user.conversation_id.replace(":", "%3A") in log
    assert stack.stack.procs["rasa"].poll() is None
    assert teams.send_message("hello", user).wait(1)
