"""Rendering the bot's replies for Teams (cards.py) and reading what Teams sends (activities.py)."""
from __future__ import annotations

from typing import Any

from channels.teams import cards
from channels.teams.activities import aad_object_id, is_personal, message_text, submitted_text, tenant_of

BUTTONS = [{"title": f"Option {i}", "payload": f'/choose{{"option":"{i}"}}'} for i in range(1, 8)]


def content(attachment: dict[str, Any]) -> dict[str, Any]:
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    return card


def test_text_is_a_markdown_message_whose_line_breaks_survive() -> None:
    assert cards.message("Hello") == {"type": "message", "text": "Hello", "textFormat": "markdown"}
    assert cards.message("Checklists:\n• 3.4\n• 10.9\n\nSay which.")["text"] == (
        "Checklists:\n\n• 3.4\n\n• 10.9\n\nSay which.")


def test_card_text_is_one_block_per_line_with_gaps_between_paragraphs() -> None:
    blocks = cards.text_blocks("Checklists:\n• 3.4\n\nSay which.")
    assert [(b["text"], b.get("spacing")) for b in blocks] == [
        ("Checklists:", None), ("• 3.4", "None"), ("Say which.", "Medium")]


def test_up_to_six_buttons_are_submit_actions_carrying_the_payload() -> None:
    card = content(cards.buttons_card("Pick one", BUTTONS[:6]))
    assert card["body"] == [{"type": "TextBlock", "text": "Pick one", "wrap": True}]
    assert card["actions"] == [{"type": "Action.Submit", "title": b["title"], "data": {"payload": b["payload"]}}
                               for b in BUTTONS[:6]]


def test_more_than_six_options_become_one_choice_set_and_one_submit() -> None:
    card = content(cards.buttons_card("Pick one", BUTTONS))
    choice_set = card["body"][1]
    assert choice_set["type"] == "Input.ChoiceSet" and choice_set["id"] == "payload"
    assert [c["value"] for c in choice_set["choices"]] == [b["payload"] for b in BUTTONS]
    assert [c["title"] for c in choice_set["choices"]] == [b["title"] for b in BUTTONS]
    assert [a["type"] for a in card["actions"]] == ["Action.Submit"]
    # Teams submits the input by its id: the same shape as a button's data
    assert submitted_text({choice_set["id"]: BUTTONS[6]["payload"]}) == BUTTONS[6]["payload"]


def test_citations_are_listed_with_links_to_the_protocol_viewer() -> None:
    card = content(cards.citations_card(["3.4", "appendix-5/young-people"], "https://iioc.example/",
                                        protocol_version="09"))
    rows = [item for item in card["body"] if item["type"] == "ColumnSet"]
    labels = [row["columns"][0]["items"][0]["text"] for row in rows]
    links = [row["columns"][1]["items"][0]["actions"][0] for row in rows]
    assert labels == ["Paragraph 3.4", "appendix-5/young-people"]
    assert [link["type"] for link in links] == ["Action.OpenUrl"] * 2
    assert [link["url"] for link in links] == ["https://iioc.example/protocol/3.4",
                                               "https://iioc.example/protocol/appendix-5/young-people"]
    assert card["body"][-1]["text"] == "Protocol version 09"


def test_citations_without_a_public_web_address_are_text_only() -> None:
    card = content(cards.citations_card(["3.4", "purpose"]))
    assert [b["text"] for b in card["body"][1:]] == ["Paragraph 3.4", "purpose"]
    assert "OpenUrl" not in str(card)


def test_a_card_submission_becomes_the_message_text() -> None:
    submission = {"type": "message", "value": {"payload": '/choose{"option":"yes"}'}}
    assert message_text(submission) == '/choose{"option":"yes"}'


def test_typed_text_loses_mentions_of_the_bot() -> None:
    assert message_text({"text": "<at>IIOC assistant</at> what is 3.4?"}) == "what is 3.4?"
    assert message_text({"text": "  ", "value": {"other": 1}}) == ""


def test_the_identity_comes_from_the_aad_object_id_and_the_tenant() -> None:
    activity = {"from": {"id": "29:x", "aadObjectId": "aad-1"}, "conversation": {"id": "c", "tenantId": "t-1"}}
    assert (aad_object_id(activity), tenant_of(activity)) == ("aad-1", "t-1")
    assert tenant_of({"conversation": {}, "channelData": {"tenant": {"id": "t-2"}}}) == "t-2"
    assert tenant_of({"conversation": {"tenantID": "t-3"}}) == "t-3"  # as botbuilder-schema writes it
    assert (aad_object_id({"from": {"id": "29:x"}}), tenant_of({})) == (None, None)


def test_only_a_personal_chat_counts_as_personal() -> None:
    assert is_personal({"conversation": {"id": "a:1", "conversationType": "personal"}})
    assert is_personal({"conversation": {"id": "a:1"}})
    assert not is_personal({"conversation": {"id": "19:x", "conversationType": "groupChat"}})
    assert not is_personal({"conversation": {"id": "19:y", "conversationType": "channel"}})
