"""Answer within Teams' time limit: wait for the work up to a deadline, then tell the user it is
still running and let it finish in the background (its replies follow when ready).

Teams gives a bot 15 seconds to answer the HTTP request that carries a message; replies are
posted separately, so a late reply still arrives, only after the request has been answered.
Standard library only.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

logger = logging.getLogger(__name__)

_running: set[asyncio.Task] = set()  # keeps late work referenced until it finishes


NOTIFY_SECONDS = 3.0  # at most this long is spent on the holding message


async def finish_or_notify(work: Awaitable[None], seconds: float,
                           notify: Callable[[], Awaitable[None]]) -> bool:
    """True if `work` finished within `seconds`; otherwise send `notify()` (waiting for it at
    most NOTIFY_SECONDS) and return False while the work goes on.

    Errors raised by `work` in time propagate; errors after the deadline are logged.
    """
    task = asyncio.ensure_future(work)
    try:
        await asyncio.wait_for(asyncio.shield(task), max(seconds, 0.01))
        return True
    except asyncio.TimeoutError:
        _running.add(task)
        task.add_done_callback(_finished)
    try:
        await asyncio.wait_for(notify(), NOTIFY_SECONDS)
    except asyncio.TimeoutError:
        logger.warning("The holding message took longer than %.0f s to send", NOTIFY_SECONDS)
    return False


def _finished(task: asyncio.Task) -> None:
    _running.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("A message finished after the deadline with an error", exc_info=task.exception())
