"""How protocol answers are sent: the text, then the citations as a custom payload.

Over REST the payload arrives as {"custom": {"citations": [...], ...}}; the web app turns it into
links to the protocol viewer and the Teams connector into a card.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import kb


@dataclass
class Reply:
    """One reply a flow (checklist, induction) wants sent; citations make it protocol content."""
    text: str
    citations: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)


def version_note() -> str:
    meta = kb().meta
    note = f"Joint Protocol version {meta.version}, {meta.issued}"
    if meta.review_passed:
        note += f" (its review date, {meta.review_date}, has passed: check for a newer version)"
    return note


def send_cited(dispatcher: CollectingDispatcher, text: str, citations: Iterable[str],
               buttons: list[dict[str, str]] | None = None, **extra: Any) -> None:
    """Send an answer that comes from the protocol, with its citations (most relevant first)."""
    cited = list(dict.fromkeys(citations))
    # One bot event: Rasa's output channels still deliver the text (with its buttons) and then
    # the payload as two replies, but the conversation's tracker grows by one event, not two.
    dispatcher.utter_message(text=text, buttons=buttons or [],
                             json_message={"citations": cited, "protocol_version": kb().meta.version,
                                           **extra})


def send_plain(dispatcher: CollectingDispatcher, text: str,
               buttons: list[dict[str, str]] | None = None) -> None:
    """Send a reply that is not protocol content (no citations)."""
    dispatcher.utter_message(text=text, buttons=buttons or [])


def button(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


SOMETHING_WENT_WRONG = ("Something went wrong on my side and I couldn't finish that. Anything I "
                        "confirmed as recorded is in the case record; nothing else was recorded. "
                        "Please try again.")
