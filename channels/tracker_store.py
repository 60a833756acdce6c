"""A SQL tracker store whose failures are loud.

Rasa 3.6 wraps every tracker store in ``FailSafeTrackerStore``, which logs a database error and
carries on with an in-memory store (``rasa/core/agent.py: _create_tracker_store``). For a
safeguarding tool that is a silent-loss path: a checklist in progress would vanish at the next
restart. Importing this module (Rasa does so when ``bot/endpoints.yml`` names the class) makes
the wrapper re-raise instead, so the message fails visibly and the channel can tell the user.

Runs inside the Rasa process: imports rasa only.
"""
from __future__ import annotations

import logging
from typing import Optional

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store could not be read or written."""


class LoudSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` configured from one SQLAlchemy URL (``url:`` in endpoints.yml)."""


async def _save(self: FailSafeTrackerStore, tracker: DialogueStateTracker) -> None:
    try:
        await self._tracker_store.save(tracker)
    except Exception as error:
        logger.critical("Conversation store write failed for %s: %s", tracker.sender_id, error)
        raise TrackerStoreUnavailable(str(error)) from error


async def _retrieve(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve(sender_id)
    except Exception as error:
        logger.critical("Conversation store read failed for %s: %s", sender_id, error)
        raise TrackerStoreUnavailable(str(error)) from error


async def _retrieve_full(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve_full_tracker(sender_id)
    except Exception as error:
        logger.critical("Conversation store read failed for %s: %s", sender_id, error)
        raise TrackerStoreUnavailable(str(error)) from error


FailSafeTrackerStore.save = _save  # type: ignore[method-assign]
FailSafeTrackerStore.retrieve = _retrieve  # type: ignore[method-assign]
FailSafeTrackerStore.retrieve_full_tracker = _retrieve_full  # type: ignore[method-assign]
