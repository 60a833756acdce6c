"""Rasa's REST channel with two guards: a cap on the text handed to NLU, and a clear reply when the
conversation store fails.

Runs inside the Rasa process (imports rasa and the standard library only). Registered in
bot/credentials.yml as `channels.rest.CheckedRestInput`; name() stays "rest", so the URL is still
/webhooks/rest/webhook.

- A 100 kB paste would be tokenised and featurised whole; the text is cut to MAX_CHARS and the
  message metadata says so ({"truncated_from": n, "truncated_to": MAX_CHARS}), so the action can
  tell the practitioner.
- NUL characters are dropped (PostgreSQL cannot store them in a text column).
- channels.tracker_store makes tracker-store failures raise TrackerStoreUnavailable instead of
  silently carrying on in memory; Rasa's own REST handler would log it and return what had been
  collected. Here the reply also says the conversation could not be saved.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from channels.tracker_store import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

MAX_CHARS = 4000
NOT_SAVED = ("This conversation could not be saved just now, so I may lose track of where we were. "
             "Please try again in a moment; if it keeps happening, tell your manager.")


def _text_of(request: Request) -> str:
    body = request.json if isinstance(request.json, dict) else {}
    message = body.get("message")
    return message.replace("\x00", "") if isinstance(message, str) else ""


class CheckedRestInput(RestInput):
    def _extract_message(self, req: Request) -> Optional[Text]:
        return _text_of(req)[:MAX_CHARS]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = super().get_metadata(request)
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        length = len(_text_of(request))
        if length > MAX_CHARS:
            metadata.update(truncated_from=length, truncated_to=MAX_CHARS)
        return metadata or None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def checked(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except TrackerStoreUnavailable as error:
                logger.error("Conversation %s not saved: %s", message.sender_id, error)
                await message.output_channel.send_text_message(message.sender_id, NOT_SAVED)

        return super().blueprint(checked)
