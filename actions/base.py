"""The base of every custom action: a failure is logged and told, never a silent empty reply."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.commands import says_command
from actions.replies import SOMETHING_WENT_WRONG

logger = logging.getLogger(__name__)


class SafeAction(Action, ABC):  # ABC: rasa-sdk skips abstract classes when registering
    # The command intents this action carries out; one read from text that says nothing of the
    # command is answered as a protocol question instead (actions/commands.py).
    commands: frozenset[str] = frozenset()

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            latest = tracker.latest_message or {}
            intent = (latest.get("intent") or {}).get("name")
            if intent in self.commands and not says_command(intent, latest.get("text") or ""):
                if tracker.get_slot("checklist_active"):  # "yes - told Mr Jones on 12/03/2026" read as a command
                    logger.info("%s: %s read from text that names no command; taken as a checklist answer",
                                self.name(), intent)
                    from actions.checklist.actions import ActionChecklistTurn
                    return ActionChecklistTurn().act(dispatcher, tracker, domain)
                logger.info("%s: %s read from text that names no command; answered as a question",
                            self.name(), intent)
                from actions.protocol_answer import ActionAnswerProtocol  # it is a SafeAction too
                return ActionAnswerProtocol().act(dispatcher, tracker, domain)
            return self.act(dispatcher, tracker, domain)
        except Exception:
            logger.exception("%s failed for conversation %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(text=SOMETHING_WENT_WRONG)
            return []

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        ...
