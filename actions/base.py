"""The base of every custom action: a failure is logged and told, never a silent empty reply."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import SOMETHING_WENT_WRONG

logger = logging.getLogger(__name__)


class SafeAction(Action, ABC):  # ABC: rasa-sdk skips abstract classes when registering
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            return self.act(dispatcher, tracker, domain)
        except Exception:
            logger.exception("%s failed for conversation %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(text=SOMETHING_WENT_WRONG)
            return []

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        ...
