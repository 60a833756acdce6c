"""The chat API: forwards to Rasa with the practitioner's signed identity, caps the message
length, reports an unreachable Rasa clearly, and shapes replies for the page."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from channels.identity import verify_claim
from web_support import FakeRasa, csrf_from, login


def post(client: FlaskClient, message: object) -> tuple[int, dict]:
    token = csrf_from(client.get("/chat").get_data(as_text=True))
    response = client.post("/chat/api/message", json={"message": message}, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json()


def test_forwards_with_signed_identity_and_a_per_session_sender(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, "what does 3.5 say")[0] == 200
    assert post(demo, "and 3.4?")[0] == 200
    first, second = fake_rasa.requests
    assert first["message"] == "what does 3.5 say"
    assert first["sender"] == second["sender"] and first["sender"].startswith("web-")
    assert first["metadata"]["channel"] == "web"
    claims = verify_claim(first["metadata"]["identity"])
    assert claims["sub"] == "demo" and claims["idp"] == "web"
    other = demo.application.test_client()
    login(other, username="other")
    post(other, "hello")
    assert fake_rasa.requests[-1]["sender"] != first["sender"]
    assert verify_claim(fake_rasa.requests[-1]["metadata"]["identity"])["sub"] == "other"


def test_a_new_login_gets_a_new_sender(app: Flask, fake_rasa: FakeRasa) -> None:
    senders = []
    for _ in range(2):
        client = app.test_client()
        login(client)
        post(client, "hello")
        senders.append(fake_rasa.requests[-1]["sender"])
    assert senders[0] != senders[1]


def test_message_length_is_capped(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    status, body = post(demo, "x" * 4001)
    assert status == 413 and "4,000 characters" in body["error"]
    assert post(demo, "x" * 4000)[0] == 200
    assert len(fake_rasa.requests) == 1
    assert 'maxlength="4000"' in demo.get("/chat").get_data(as_text=True)
    assert "Up to 4,000" in demo.get("/chat").get_data(as_text=True)


def test_empty_or_malformed_messages_are_refused(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    assert post(demo, "   ")[0] == 400
    assert post(demo, 42)[0] == 400
    assert fake_rasa.requests == []


def test_rasa_unreachable_is_a_clear_error(app: Flask, demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.close()
    status, body = post(demo, "hello")
    assert status == 502
    assert "cannot be reached" in body["error"] and "nothing was recorded" in body["error"]


def test_replies_are_shaped_with_citation_links(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.replies = [
        {"recipient_id": "x", "text": "3.5 says <script>",
         "buttons": [{"title": "Yes", "payload": "/choose{\"option\": \"yes\"}"}]},
        {"recipient_id": "x", "custom": {"citations": ["3.5", "not-a-unit"], "protocol_version": "09"}},
        {"recipient_id": "x", "text": "Second"},
    ]
    status, body = post(demo, "what does 3.5 say")
    assert status == 200
    first, second = body["replies"]
    assert first["text"] == "3.5 says <script>"  # escaped by the page, which sets textContent
    assert first["buttons"] == [{"title": "Yes", "payload": "/choose{\"option\": \"yes\"}"}]
    assert first["citations"][0] == {"id": "3.5", "label": "3.5 — Whether the alleged offender leaves the home",
                                     "url": "/protocol/3.5"}
    assert first["citations"][1] == {"id": "not-a-unit", "label": "not-a-unit", "url": None}
    assert second == {"text": "Second", "buttons": [], "citations": []}


def test_appendix_citations_link_to_their_address(demo: FlaskClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.replies = [{"text": "Siblings"}, {"custom": {"citations": ["appendix-1/siblings"]}}]
    _, body = post(demo, "siblings")
    assert body["replies"][0]["citations"][0]["url"] == "/protocol/appendix-1/siblings"
