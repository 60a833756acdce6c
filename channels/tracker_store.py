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
from collections import OrderedDict
from typing import Any, Awaitable, Optional, TypeVar

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

import channels.action_response  # noqa: F401  (loaded with this module: Rasa imports no other of ours first)

logger = logging.getLogger(__name__)
T = TypeVar("T")


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store could not be read or written."""


class LoudSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` configured from one SQLAlchemy URL (``url:`` in endpoints.yml), which
    keeps the trackers it has just saved.

    Rasa rebuilds a tracker on every message by loading every event of the conversation session
    and replaying it; in a long conversation that was the largest share of the time per message.
    A kept tracker is handed back only while the database holds exactly as many events of its
    session as the tracker has (one cheap COUNT): a message that failed half-way, a new session,
    or a restart all fall back to the database. Sound for one Rasa process, as run here (Rasa's
    lock store already lets one message per conversation through at a time); several Rasa
    processes sharing a database would need this turned off (``keep: 0`` in endpoints.yml).
    """

    def __init__(self, *args: Any, keep: int = 256, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keep = int(keep)
        self._kept: OrderedDict[str, DialogueStateTracker] = OrderedDict()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        kept = self._kept.pop(sender_id, None)
        if kept is not None:
            with self.session_scope() as session:
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            if stored == len(kept.events):
                self._kept[sender_id] = kept
                return kept
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._kept.pop(tracker.sender_id, None)
        await super().save(tracker)
        if self._keep > 0:
            self._kept[tracker.sender_id] = tracker
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)


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
