"""The Teams connector inside a Sanic server of the Rasa environment, with a scripted bot
(tests/teams/teams_harness.py) and the Bot Connector emulator: no trained model needed."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from channels.identity import verify_claim
from channels.teams.emulator import FORGERIES, BotConnectorEmulator, TeamsUser
from teams_support import HARNESS_DEADLINE_SECONDS, Harness, start_harness, stop_harness

STILL_WORKING = "Still working on that: the answer will follow here shortly."
SORRY = "Sorry, I could not deal with that message just now. Please try again in a minute."


@pytest.fixture
def bot(harness: Harness) -> BotConnectorEmulator:
    assert harness.emulator is not None
    return harness.emulator


@pytest.fixture
def user(bot: BotConnectorEmulator) -> TeamsUser:
    return bot.new_user()


def received_from(harness: Harness, user: TeamsUser) -> list[dict[str, Any]]:
    return [m for m in harness.received() if m["sender_id"] == user.id]


def card(reply: dict[str, Any]) -> dict[str, Any]:
    [attachment] = reply["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def test_nothing_is_fetched_at_start_up(harness: Harness) -> None:
    assert harness.requests_at_start == {"metadata": 0, "keys": 0, "token": 0}


def test_a_message_gets_a_typing_indicator_then_the_answer(harness: Harness, bot: BotConnectorEmulator,
                                                           user: TeamsUser) -> None:
    turn = bot.send_message("hello there", user)
    assert turn.status == 200
    [reply] = turn.wait(1)
    assert reply["text"] == "echo: hello there"
    assert [a["type"] for a in turn.activities()] == ["typing", "message"]
    assert reply["conversation"]["id"] == user.conversation_id and reply["recipient"]["id"] == user.id
    [message] = received_from(harness, user)
    assert message["input_channel"] == "teams" and message["metadata"]["channel"] == "teams"


def test_the_message_carries_a_signed_teams_identity(harness: Harness, bot: BotConnectorEmulator,
                                                     user: TeamsUser) -> None:
    [reply] = bot.send_message("whoami", user).wait(1)
    assert json.loads(reply["text"]) == {"sub": user.aad_object_id, "idp": "teams", "tid": user.tenant_id}
    [message] = received_from(harness, user)
    claims = verify_claim(message["metadata"]["identity"], secret=harness.identity_secret)
    assert (claims["sub"], claims["tid"]) == (user.aad_object_id, user.tenant_id)


def test_a_user_without_an_aad_identity_gets_no_claim(harness: Harness, bot: BotConnectorEmulator) -> None:
    user = bot.new_user(with_identity=False)
    bot.send_message("hello", user).wait(1)
    [message] = received_from(harness, user)
    assert "identity" not in message["metadata"]


def test_a_group_chat_gets_no_claim_so_no_case_work(harness: Harness, bot: BotConnectorEmulator,
                                                    user: TeamsUser) -> None:
    bot.send_activity(bot.activity(user, text="hello", conversation_type="groupChat")).wait(1)
    [message] = received_from(harness, user)
    assert "identity" not in message["metadata"]


def test_buttons_make_a_card_whose_submission_comes_back_as_the_payload(
        harness: Harness, bot: BotConnectorEmulator, user: TeamsUser) -> None:
    [reply] = bot.send_message("buttons:3", user).wait(1)
    actions = card(reply)["actions"]
    assert [a["type"] for a in actions] == ["Action.Submit"] * 3
    turn = bot.send_submit(actions[1]["data"], user)  # what Teams sends when the button is pressed
    assert turn.status == 200
    assert turn.wait(1)[0]["text"] == 'echo: /choose{"option":"2"}'
    assert received_from(harness, user)[-1]["text"] == '/choose{"option":"2"}'


def test_more_than_six_options_make_a_choice_set_that_submits_the_payload(
        bot: BotConnectorEmulator, user: TeamsUser) -> None:
    [reply] = bot.send_message("buttons:7", user).wait(1)
    content = card(reply)
    [choice_set] = [item for item in content["body"] if item["type"] == "Input.ChoiceSet"]
    assert len(choice_set["choices"]) == 7 and len(content["actions"]) == 1
    value = {choice_set["id"]: choice_set["choices"][6]["value"]}  # Teams: {input id: chosen value}
    assert bot.send_submit(value, user).wait(1)[0]["text"] == 'echo: /choose{"option":"7"}'


def test_citations_arrive_as_a_card_linking_to_the_protocol_viewer(bot: BotConnectorEmulator,
                                                                   user: TeamsUser) -> None:
    text, citations = bot.send_message("cite:3.4,appendix-2", user).wait(2)
    assert text["text"] == "Here is what the protocol says."
    content = card(citations)
    assert [row["columns"][0]["items"][0]["text"] for row in content["body"] if row["type"] == "ColumnSet"] == [
        "Paragraph 3.4", "appendix-2"]
    links = [a["url"] for row in content["body"] if row["type"] == "ColumnSet"
             for a in row["columns"][1]["items"][0]["actions"]]
    assert links == ["https://iioc.example.test/protocol/3.4", "https://iioc.example.test/protocol/appendix-2"]


@pytest.mark.parametrize("kind", FORGERIES)
def test_a_forged_token_is_refused_and_nothing_is_processed(harness: Harness, bot: BotConnectorEmulator,
                                                            user: TeamsUser, kind: str) -> None:
    turn = bot.send_message(f"forged {kind}", user, token=bot.forged_token(kind))
    assert turn.status == 401
    time.sleep(0.5)
    assert turn.activities() == [] and received_from(harness, user) == []
    assert "Refused a Teams request" in harness.log_text()


@pytest.mark.parametrize("authorization", ["", "Basic dXNlcjpwYXNz", "Bearer garbage"])
def test_a_missing_or_malformed_authorization_is_refused(harness: Harness, bot: BotConnectorEmulator,
                                                         user: TeamsUser, authorization: str) -> None:
    turn = bot.send_message("no token", user, authorization=authorization)
    assert turn.status == 401
    time.sleep(0.3)
    assert turn.activities() == [] and received_from(harness, user) == []


def test_a_body_that_is_not_an_activity_is_rejected(harness: Harness) -> None:
    request = urllib.request.Request(f"{harness.url}/webhooks/teams/webhook", data=b"not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 400


def test_other_activity_types_are_acknowledged_and_ignored(harness: Harness, bot: BotConnectorEmulator,
                                                           user: TeamsUser) -> None:
    turn = bot.send_activity(bot.activity(user, activity_type="conversationUpdate"))
    assert turn.status == 200
    time.sleep(0.3)
    assert turn.activities() == [] and received_from(harness, user) == []


def test_slow_processing_answers_in_time_with_a_holding_message(bot: BotConnectorEmulator,
                                                                user: TeamsUser) -> None:
    turn = bot.send_message(f"slow:{HARNESS_DEADLINE_SECONDS + 1.5}", user)
    assert turn.status == 200 and turn.elapsed < HARNESS_DEADLINE_SECONDS + 1
    assert [r["text"] for r in turn.wait(2, timeout=10)] == [STILL_WORKING, "done"]


def test_a_failure_inside_the_bot_is_logged_and_the_user_told(harness: Harness, bot: BotConnectorEmulator,
                                                              user: TeamsUser) -> None:
    turn = bot.send_message("boom", user)
    assert turn.status == 200
    assert turn.wait(1)[0]["text"] == SORRY
    assert "Could not handle a Teams message" in harness.log_text()


def test_an_unavailable_bot_connector_is_logged_and_nothing_breaks(harness: Harness, bot: BotConnectorEmulator,
                                                                   user: TeamsUser) -> None:
    with bot.outage(replies=True):
        turn = bot.send_message("during the outage", user)
        assert turn.status == 200
        time.sleep(0.5)
    assert turn.activities() == []
    assert any(d["status"] == 503 and d["conversation_id"] == user.conversation_id for d in bot.deliveries)
    assert "Could not deliver a message activity to the Bot Connector" in harness.log_text()
    assert bot.send_message("after the outage", user).wait(1)[0]["text"] == "echo: after the outage"


def test_keys_and_token_were_fetched_once_for_all_these_requests(bot: BotConnectorEmulator) -> None:
    assert bot.requests == {"metadata": 1, "keys": 1, "token": 1}


def test_without_a_configured_app_it_starts_offline_and_refuses_everything(tmp_path: Path) -> None:
    # Microsoft's real URLs (unreachable here) and no TEAMS_APP_ID: what `make run` does by default.
    harness = start_harness(tmp_path, {}, None)
    stranger = BotConnectorEmulator()  # only to build and sign an activity; not started
    try:
        activity = stranger.activity(stranger.new_user(), text="hello")
        request = urllib.request.Request(f"{harness.url}/webhooks/teams/webhook",
                                         data=json.dumps(activity).encode(),
                                         headers={"Authorization": f"Bearer {stranger.activity_token()}",
                                                  "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code == 401
        assert harness.received() == []
        assert "TEAMS_APP_ID is not set" in harness.log_text()
    finally:
        stop_harness(harness.proc)
        stranger.stop()
