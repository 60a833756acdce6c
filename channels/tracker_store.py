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
from typing import Awaitable, Optional, TypeVar

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
T = TypeVar("T")


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store could not be read or written."""


class LoudSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` configured from one SQLAlchemy URL (``url:`` in endpoints.yml)."""


async def _loudly(operation: Awaitable[T], what: str, sender_id: str) -> T:
    try:
        return await operation
    except Exception as error:
        logger.critical("Conversation store %s failed for %s: %s", what, sender_id, error)
        raise TrackerStoreUnavailable(str(error)) from error


async def _save(self: FailSafeTrackerStore, tracker: DialogueStateTracker) -> None:
    await _loudly(self._tracker_store.save(tracker), "write", tracker.sender_id)


async def _retrieve(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    return await _loudly(self._tracker_store.retrieve(sender_id), "read", sender_id)


async def _retrieve_full(self: FailSafeTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    return await _loudly(self._tracker_store.retrieve_full_tracker(sender_id), "read", sender_id)


FailSafeTrackerStore.save = _save  # type: ignore[method-assign]
FailSafeTrackerStore.retrieve = _retrieve  # type: ignore[method-assign]
FailSafeTrackerStore.retrieve_full_tracker = _retrieve_full  # type: ignore[method-assign]
