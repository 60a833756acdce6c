"""Posting replies to the Bot Connector (channels/teams/botconnector.py), against the emulator."""
from __future__ import annotations

import asyncio
import logging

import pytest

from channels.teams.botconnector import BotConnectorClient, activities_url
from channels.teams.emulator import BotConnectorEmulator

CONVERSATION = "a:1Xz;messageid=42"


def client_for(emulator: BotConnectorEmulator, password: str | None = None) -> BotConnectorClient:
    env = emulator.env()
    return BotConnectorClient(env["TEAMS_APP_ID"], password or env["TEAMS_APP_PASSWORD"],
                              env["TEAMS_TOKEN_URL"], env["TEAMS_TOKEN_SCOPE"])


def post(client: BotConnectorClient, emulator: BotConnectorEmulator, text: str = "hello") -> bool:
    return asyncio.run(client.post_activity(emulator.service_url, CONVERSATION,
                                            {"type": "message", "text": text}))


def test_replies_go_to_the_conversation_with_a_token_the_service_issued(emulator: BotConnectorEmulator) -> None:
    assert post(client_for(emulator), emulator)
    assert [a["text"] for a in emulator.activities(CONVERSATION)] == ["hello"]
    assert emulator.deliveries[-1]["headers"]["content-type"] == "application/json"


def test_the_conversation_id_is_escaped_in_the_url() -> None:
    assert activities_url("https://smba.trafficmanager.net/emea/", "19:x@thread.tacv2;messageid=1") == (
        "https://smba.trafficmanager.net/emea/v3/conversations/19%3Ax%40thread.tacv2%3Bmessageid%3D1/activities")


def test_the_token_is_cached_per_client_not_per_class(emulator: BotConnectorEmulator) -> None:
    first, second = client_for(emulator), client_for(emulator)
    for _ in range(3):
        assert post(first, emulator)
    assert emulator.requests["token"] == 1
    assert post(second, emulator)
    assert emulator.requests["token"] == 2  # a second client (another app id) has its own token


def test_a_failed_token_call_still_sends_content_type_and_logs(emulator: BotConnectorEmulator,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        assert not post(client_for(emulator, password="wrong"), emulator)
    attempt = emulator.deliveries[-1]
    assert attempt["status"] == 401 and "authorization" not in attempt["headers"]
    assert attempt["headers"]["content-type"] == "application/json"  # rasa issue 9318
    assert "Could not get a Bot Framework token" in caplog.text
    assert "Could not deliver a message activity" in caplog.text and "HTTP 401" in caplog.text


def test_an_unavailable_connector_is_logged_and_reported_not_raised(emulator: BotConnectorEmulator,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(emulator)
    with emulator.outage(replies=True, token=True), caplog.at_level(logging.ERROR):
        assert not post(client, emulator)
    assert "HTTP 503" in caplog.text
    assert emulator.activities(CONVERSATION) == []
    assert post(client, emulator, "after")  # recovers with the service
    assert [a["text"] for a in emulator.activities(CONVERSATION)] == ["after"]


def test_an_unreachable_connector_is_logged_and_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    client = BotConnectorClient("app", "secret", "http://127.0.0.1:9/token", "scope")
    with caplog.at_level(logging.ERROR):
        assert not asyncio.run(client.post_activity("http://127.0.0.1:9/", "c", {"type": "typing"}))
    assert "Could not deliver a typing activity" in caplog.text
