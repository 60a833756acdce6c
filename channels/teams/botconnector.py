"""Posts the bot's activities to the Bot Connector service, with the bot's own OAuth token.

Differences from Rasa's `BotFramework` output channel, on purpose:
- the token cache belongs to one client object (Rasa keeps it on the class, shared by every
  channel and app id in the process);
- a request always carries `Content-Type: application/json`, even when the token call failed
  (Rasa then sent no headers at all: rasa issue 9318);
- failures are logged and reported as False, never raised, so a Bot Connector outage cannot
  break message handling; the HTTP calls run in threads so they do not block the event loop.
Standard library only, so the tests run it without Rasa.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 5
TOKEN_RENEW_MARGIN_SECONDS = 120


def activities_url(service_url: str, conversation_id: str) -> str:
    quoted = urllib.parse.quote(conversation_id, safe="")
    return f"{service_url.rstrip('/')}/v3/conversations/{quoted}/activities"


def _post(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
        return response.read()


@dataclass
class BotConnectorClient:
    app_id: str
    app_password: str
    token_url: str
    token_scope: str
    _token: str | None = field(default=None, init=False, repr=False)
    _token_expires: float = field(default=0.0, init=False)
    _token_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        token = await self._access_token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def _access_token(self) -> str | None:
        async with self._token_lock:
            if self._token and time.monotonic() < self._token_expires - TOKEN_RENEW_MARGIN_SECONDS:
                return self._token
            form = urllib.parse.urlencode({
                "grant_type": "client_credentials", "client_id": self.app_id,
                "client_secret": self.app_password, "scope": self.token_scope,
            }).encode()
            try:
                raw = await asyncio.to_thread(
                    _post, self.token_url, form, {"Content-Type": "application/x-www-form-urlencoded"})
                data = json.loads(raw)
                token, lifetime = str(data["access_token"]), int(data.get("expires_in", 3600))
            except Exception as error:  # HTTP status, network, JSON shape
                logger.error("Could not get a Bot Framework token from %s: %s", self.token_url,
                             _describe(error))
                return None
            self._token, self._token_expires = token, time.monotonic() + lifetime
            return token

    async def post_activity(self, service_url: str, conversation_id: str,
                            activity: dict[str, Any]) -> bool:
        """Send one activity into the conversation; False (and an error logged) if it failed."""
        url = activities_url(service_url, conversation_id)
        headers = await self.headers()
        try:
            await asyncio.to_thread(_post, url, json.dumps(activity).encode(), headers)
        except Exception as error:
            if isinstance(error, urllib.error.HTTPError) and error.code == 401:
                self._token = None  # fetch a new one next time
            logger.error("Could not deliver a %s activity to the Bot Connector at %s: %s",
                         activity.get("type", "message"), url, _describe(error))
            return False
        return True


def _describe(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        try:
            body = error.read(300).decode("utf-8", "replace")
        except Exception:
            body = ""
        return f"HTTP {error.code} {body}".strip()
    return f"{type(error).__name__}: {error}"
