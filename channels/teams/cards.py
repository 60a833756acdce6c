"""The bot's replies as Teams activities, and card submissions back into message text.

- text                  -> a message activity with that text;
- text + buttons        -> an Adaptive Card (1.4): up to MAX_BUTTONS Action.Submit buttons, each
                           with data {"payload": <payload>}; more options become one
                           Input.ChoiceSet (id "payload") and a single submit button, so both
                           submit the same shape;
- {"citations": [...]}  -> an Adaptive Card listing the cited paragraphs, each with a link to
                           the web app's protocol viewer when its public address is known.
Standard library only.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Any, Iterable

from channels.teams.activities import PAYLOAD_FIELD

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
MAX_BUTTONS = 6  # Teams shows no more than six actions on a card


def message(text: str = "", attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    # Teams renders message text as markdown, where a single newline is no line break.
    activity: dict[str, Any] = {"type": "message", "text": re.sub(r"\n\s*", "\n\n", text.strip())}
    if text:
        activity["textFormat"] = "markdown"
    if attachments:
        activity["attachments"] = attachments
    return activity


def adaptive_card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None
                  ) -> dict[str, Any]:
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        content["actions"] = actions
    return {"contentType": ADAPTIVE_CARD, "content": content}


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def text_blocks(text: str) -> list[dict[str, Any]]:
    """One TextBlock per line (cards do not reliably break lines inside a TextBlock), with a
    gap before each paragraph."""
    blocks: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        for number, line in enumerate(line for line in paragraph.splitlines() if line.strip()):
            style = {"spacing": "Medium" if number == 0 else "None"} if blocks else {}
            blocks.append(text_block(line.strip(), **style))
    return blocks


def buttons_card(text: str, buttons: Iterable[dict[str, Any]]) -> dict[str, Any]:
    options = [(str(b.get("title", "")), str(b.get("payload", b.get("title", "")))) for b in buttons]
    body = text_blocks(text)
    if len(options) <= MAX_BUTTONS:
        actions = [{"type": "Action.Submit", "title": title, "data": {PAYLOAD_FIELD: payload}}
                   for title, payload in options]
        return adaptive_card(body, actions)
    body.append({
        "type": "Input.ChoiceSet", "id": PAYLOAD_FIELD, "style": "expanded", "isRequired": True,
        "errorMessage": "Choose one of the options.",
        "choices": [{"title": title, "value": payload} for title, payload in options],
    })
    return adaptive_card(body, [{"type": "Action.Submit", "title": "Send"}])


def citation_label(unit_id: str) -> str:
    return f"Paragraph {unit_id}" if unit_id[:1].isdigit() else unit_id


def citations_card(citations: Iterable[str], web_public_url: str = "",
                   protocol_version: str | None = None) -> dict[str, Any]:
    body: list[dict[str, Any]] = [text_block("From the Joint Protocol", weight="Bolder")]
    for unit_id in citations:
        label = text_block(citation_label(unit_id))
        if not web_public_url:
            body.append(label)
            continue
        link = {"type": "Action.OpenUrl", "title": "Open",
                "url": f"{web_public_url.rstrip('/')}/protocol/{urllib.parse.quote(unit_id, safe='/')}"}
        body.append({"type": "ColumnSet", "columns": [
            {"type": "Column", "width": "stretch", "verticalContentAlignment": "Center", "items": [label]},
            {"type": "Column", "width": "auto", "items": [{"type": "ActionSet", "actions": [link]}]},
        ]})
    if protocol_version:
        body.append(text_block(f"Protocol version {protocol_version}", isSubtle=True, size="Small"))
    return adaptive_card(body)

