"""What happens when the dialogue policies cannot tell what to do next.

Rasa's own `action_default_fallback` reverts the last user message, and with it every slot the
actions set since: a checklist that had just finished came back to life, and the next message was
recorded as a correction of its last item. Here nothing is undone. After an action has run the bot
simply waits for the practitioner; straight after a message nobody has handled, it says so.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction
from actions.replies import send_plain

NOT_HANDLED = ("I'm not sure what to do with that, so nothing was recorded. Ask a question about the "
               "protocol, or type “help” to see what I can do.")


class ActionDefaultFallback(SafeAction):
    def name(self) -> str:
        return "action_default_fallback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if not handled_since_last_message(tracker.events):
            send_plain(dispatcher, NOT_HANDLED)
        return [FollowupAction("action_listen")]


def handled_since_last_message(events: list[dict[str, Any]]) -> bool:
    """Whether an action other than listening ran after the latest user message."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            return True
    return False
