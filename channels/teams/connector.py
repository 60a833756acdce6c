"""The Microsoft Teams channel of the Rasa server: POST /webhooks/teams/webhook.

Named in bot/credentials.yml as `channels.teams.connector.TeamsInput`. It replaces the parts of
Rasa's Bot Framework connector that do not fit here (rasa/core/channels/botframework.py):
Microsoft's URLs come from configuration and are fetched on the first request, not at start-up;
the token check also covers the issuer and the serviceurl claim (channels/teams/auth.py); the
replies are Adaptive Cards (channels/teams/cards.py) posted by a client with its own token cache
(channels/teams/botconnector.py); and each message is answered within Teams' time limit.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.identity import issue_claim
from channels.teams import cards
from channels.teams.activities import aad_object_id, is_personal, message_text, tenant_of
from channels.teams.auth import KeySetUnavailable, TokenValidator, Unauthorized
from channels.teams.botconnector import BotConnectorClient
from channels.teams.deadline import finish_or_notify
from channels.teams.settings import TeamsSettings

logger = logging.getLogger(__name__)

CHANNEL = "teams"
STILL_WORKING = "Still working on that: the answer will follow here shortly."
SORRY = "Sorry, I could not deal with that message just now. Please try again in a minute."


class TeamsOutput(BotFramework):
    """Sends the bot's replies into one Teams conversation."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, client: BotConnectorClient, activity: Dict[Text, Any],
                 web_public_url: str = "") -> None:
        super().__init__(client.app_id, client.app_password, activity["conversation"],
                         activity.get("recipient") or {}, activity["serviceUrl"])
        self.client = client
        self.service_url = activity["serviceUrl"]
        self.web_public_url = web_public_url

    async def _get_headers(self) -> Optional[Dict[Text, Any]]:
        return await self.client.headers()  # never Rasa's class-level token cache

    def prepare_message(self, recipient_id: Text, message_data: Dict[Text, Any]) -> Dict[Text, Any]:
        activity = {"type": "message", "from": self.bot, "recipient": {"id": recipient_id},
                    "conversation": {"id": self.conversation["id"]}}
        activity.update(message_data)
        return activity

    async def send(self, message_data: Dict[Text, Any]) -> None:
        await self.client.post_activity(self.service_url, self.conversation["id"], message_data)

    async def send_typing(self, recipient_id: Text) -> None:
        await self.send(self.prepare_message(recipient_id, {"type": "typing"}))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send(self.prepare_message(recipient_id, cards.message(text)))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        card = cards.buttons_card(text, buttons)
        await self.send(self.prepare_message(recipient_id, cards.message(attachments=[card])))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        citations = json_message.get("citations")
        if isinstance(citations, list) and citations:
            card = cards.citations_card([str(c) for c in citations], self.web_public_url,
                                        json_message.get("protocol_version"))
            await self.send(self.prepare_message(recipient_id, cards.message(attachments=[card])))
        elif "attachments" in json_message or json_message.get("type") == "message":  # an activity
            await self.send(self.prepare_message(recipient_id, json_message))
        else:
            logger.debug("Custom payload with nothing to show in Teams: %s", sorted(json_message))

    async def send_elements(self, recipient_id: Text, elements: Iterable[Dict[Text, Any]],
                            **kwargs: Any) -> None:
        for element in elements:
            await self.send_text_with_buttons(recipient_id, element.get("title", ""),
                                              element.get("buttons", []))


class TeamsInput(BotFrameworkInput):
    """Receives Teams activities, checks the Bot Framework's token, hands messages to Rasa."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TeamsSettings.from_credentials(credentials))

    def __init__(self, settings: TeamsSettings) -> None:
        # Not super().__init__(): Rasa's fetches Microsoft's keys there, at start-up.
        self.settings = settings
        self.app_id = settings.app_id
        self.app_password = settings.app_password
        self.validator = TokenValidator(settings.app_id, settings.issuer,
                                        settings.openid_metadata_url, settings.jwks_url)
        self.client = BotConnectorClient(settings.app_id, settings.app_password,
                                         settings.token_url, settings.token_scope)
        if not settings.app_id:
            logger.warning("TEAMS_APP_ID is not set: the Teams channel will refuse every request.")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams_webhook = Blueprint("teams_webhook", __name__)

        @teams_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @teams_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            received_at = time.monotonic()
            try:
                activity = json.loads(request.body or b"")
            except ValueError:
                activity = None
            if not isinstance(activity, dict):
                return response.text("The body must be a JSON activity.", status=400)
            try:
                await self.validator.validate(request.headers.get("Authorization"),
                                              str(activity.get("serviceUrl") or ""),
                                              activity.get("channelId"))
            except Unauthorized as error:
                logger.warning("Refused a Teams request: %s", error)
                return response.text("Unauthorized", status=401)
            except KeySetUnavailable:
                return response.text("The bot cannot check tokens just now.", status=503)
            return await self._handle(activity, on_new_message, received_at)

        return teams_webhook

    async def _handle(self, activity: Dict[Text, Any],
                      on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      received_at: float) -> HTTPResponse:
        sender_id = (activity.get("from") or {}).get("id")
        conversation = activity.get("conversation") or {}
        if activity.get("type") != "message":
            logger.debug("Ignoring a Teams %s activity", activity.get("type"))
            return response.text("ok")
        if not sender_id or not conversation.get("id"):
            return response.text("A message needs from.id and conversation.id.", status=400)
        text = message_text(activity)
        if not text:
            return response.text("ok")
        out = TeamsOutput(self.client, activity, self.settings.web_public_url)
        message = UserMessage(text=text, output_channel=out, sender_id=sender_id,
                              input_channel=self.name(), metadata=self._metadata(activity))

        async def work() -> None:
            await out.send_typing(sender_id)
            try:
                await on_new_message(message)
            except Exception:
                logger.exception("Could not handle a Teams message from %s", sender_id)
                await out.send_text_message(sender_id, SORRY)

        remaining = self.settings.reply_deadline_seconds - (time.monotonic() - received_at)
        await finish_or_notify(work(), remaining, lambda: out.send_text_message(sender_id, STILL_WORKING))
        return response.text("ok")

    def _metadata(self, activity: Dict[Text, Any]) -> Dict[Text, Any]:
        metadata: Dict[Text, Any] = {"channel": CHANNEL}
        object_id, tenant_id = aad_object_id(activity), tenant_of(activity)
        if not is_personal(activity):  # case work must not be shown to a group chat or channel
            logger.info("Teams message outside a personal chat: no identity claim")
        elif object_id and tenant_id:
            try:
                metadata["identity"] = issue_claim(object_id, "teams", tid=tenant_id)
            except Exception:
                logger.exception("Could not issue an identity claim for a Teams user")
        else:
            logger.info("Teams message without an AAD object id and tenant: no identity claim")
        if activity.get("attachments"):
            metadata["attachments"] = activity["attachments"]
        return metadata

