"""What the connector reads from an incoming Teams activity. Standard library only."""
from __future__ import annotations

import re
from typing import Any

MENTION = re.compile(r"<at>.*?</at>", re.DOTALL)
PAYLOAD_FIELD = "payload"  # the key card buttons and the choice set submit (see cards.py)


def submitted_text(value: Any) -> str | None:
    """The message text a card submission stands for: the chosen payload, if there is one."""
    if isinstance(value, dict):
        payload = value.get(PAYLOAD_FIELD)
        if isinstance(payload, str) and payload.strip():
            return payload.strip()
    return None


def message_text(activity: dict[str, Any]) -> str:
    """A card submission's payload, else the typed text without @mentions of the bot."""
    submitted = submitted_text(activity.get("value"))
    if submitted:
        return submitted
    return MENTION.sub("", str(activity.get("text") or "")).strip()


def aad_object_id(activity: dict[str, Any]) -> str | None:
    return (activity.get("from") or {}).get("aadObjectId") or None


def tenant_of(activity: dict[str, Any]) -> str | None:
    conversation = activity.get("conversation") or {}
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    # Teams sends conversation.tenantId; botbuilder-schema serialises it as tenantID.
    return conversation.get("tenantId") or conversation.get("tenantID") or tenant or None


def is_personal(activity: dict[str, Any]) -> bool:
    """A one-to-one chat with the bot (Teams marks group chats and channels otherwise)."""
    return (activity.get("conversation") or {}).get("conversationType", "personal") == "personal"
