"""Forward a practitioner's message to Rasa's REST channel and put the replies in the shape the
chat page draws: text, buttons and citation links (Rasa sends citations as a separate
`custom` message after the text they belong to)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import requests

import knowledge
from channels.identity import issue_claim


class RasaUnavailable(Exception):
    """Rasa could not be reached (nothing was sent) or did not answer in time (`timed_out`)."""

    def __init__(self, timed_out: bool) -> None:
        super().__init__("timed out" if timed_out else "unreachable")
        self.timed_out = timed_out


@dataclass
class Reply:
    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    citations: list[dict[str, str | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons, "citations": self.citations}


def send(rasa_url: str, sender: str, username: str, message: str, timeout: float,
         personal_details_confirmed: bool = False) -> list[dict[str, Any]]:
    """`personal_details_confirmed`: the web app found personal details in the message and the
    practitioner chose to send it as typed. The signed claim carries the digest of this text, so
    the action server records it without asking again (and takes the choice for no other text)."""
    claim = issue_claim(username, "web", confirmed_text=message if personal_details_confirmed else None)
    metadata: dict[str, Any] = {"identity": claim, "channel": "web"}
    if personal_details_confirmed:
        metadata["personal_details_confirmed"] = True
    body = {"sender": sender, "message": message, "metadata": metadata}
    try:
        response = requests.post(f"{rasa_url}/webhooks/rest/webhook", json=body,
                                 timeout=(5, timeout))
        response.raise_for_status()
        replies = response.json()
    except requests.Timeout as error:
        raise RasaUnavailable(timed_out=True) from error
    except (requests.RequestException, ValueError) as error:
        raise RasaUnavailable(timed_out=False) from error
    return replies if isinstance(replies, list) else []


def shape(raw: list[dict[str, Any]], unit_url: Callable[[str], str]) -> list[Reply]:
    kb = knowledge.load()
    replies: list[Reply] = []
    for message in raw:
        custom = message.get("custom")
        if isinstance(custom, dict) and "text" not in message:
            links = [_citation(kb, str(c), unit_url) for c in custom.get("citations") or []]
            if replies and links:
                replies[-1].citations.extend(links)
            elif links:
                replies.append(Reply(citations=links))
            continue
        text = message.get("text")
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                   for b in message.get("buttons") or [] if isinstance(b, dict)]
        if isinstance(text, str) or buttons:
            replies.append(Reply(text=text if isinstance(text, str) else None, buttons=buttons))
    return replies


def _citation(kb: knowledge.KnowledgeBase, unit_id: str,
              unit_url: Callable[[str], str]) -> dict[str, str | None]:
    unit = kb.units.get(unit_id)
    if unit is None:
        return {"id": unit_id, "label": unit_id, "url": None}
    return {"id": unit_id, "label": unit.label, "url": unit_url(unit_id)}
