"""Who is asking: only a signed claim in the message metadata counts (see docs/ARCHITECTURE.md).

The REST sender id and the message text are never identity. A missing or bad claim still gets
protocol answers; case work is refused with a reason the practitioner can act on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from casestore.errors import IdentityRefused, UnknownPractitioner
from channels.identity import InvalidClaim, confirms, verify_claim
from casestore.identity import authenticate_claims
from casestore.models import Practitioner

NO_CLAIM = ("I can answer questions about the protocol here, but case records are only available "
            "when you are signed in through the web app or Microsoft Teams.")
BAD_CLAIM = "Your sign-in could not be verified, so I can't open case records. Please sign in again."


@dataclass(frozen=True)
class Caller:
    practitioner: Practitioner | None
    channel: str
    refusal: str | None = None


def latest_user_event(tracker: Tracker) -> dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event
    return {}


def latest_user_metadata(tracker: Tracker) -> dict[str, Any]:
    return latest_user_event(tracker).get("metadata") or {}


def personal_details_confirmed(tracker: Tracker) -> bool:
    """The web app held the latest message back for personal details and the practitioner chose
    to send it as typed. Taken only from a valid web claim naming this very text (its digest,
    `channels.identity.confirms`): the metadata flag alone, from a REST caller or any other
    channel, counts for nothing. Teams messages are not held back, so they are never confirmed."""
    event = latest_user_event(tracker)
    metadata = event.get("metadata") or {}
    if metadata.get("personal_details_confirmed") is not True:
        return False
    try:
        claims = verify_claim(metadata.get("identity"))
    except InvalidClaim:
        return False
    return confirms(claims, event.get("text") or "")


def identify(tracker: Tracker, session: Session) -> Caller:
    token = latest_user_metadata(tracker).get("identity")
    channel = str(tracker.get_latest_input_channel() or "rest")[:32]
    if not token:
        return Caller(None, channel, NO_CLAIM)
    try:
        practitioner, claims = authenticate_claims(session, token, channel)
        # The claim's issuer ("web" app or "teams" connector) is the channel the practitioner used.
        return Caller(practitioner, claims["idp"])
    except UnknownPractitioner as error:
        return Caller(None, channel, str(error))
    except IdentityRefused:
        return Caller(None, channel, BAD_CLAIM)
