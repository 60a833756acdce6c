"""Login lockout per username: after N failed attempts the username is locked for M minutes.

Keyed by the name typed, whether or not such a practitioner exists, so the answer never tells
an attacker which usernames are real.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casestore.timeutil import now_utc
from casestore.websession import LoginThrottle

MAX_USERNAME_LENGTH = 64


def throttle_key(username: str) -> str:
    return (username or "").strip().lower()[:MAX_USERNAME_LENGTH]


def locked_until(db: Session, username: str) -> datetime | None:
    """When the lockout on `username` ends, or None if it is not locked."""
    row = db.get(LoginThrottle, throttle_key(username))
    if row is not None and row.locked_until is not None and row.locked_until > now_utc():
        return row.locked_until
    return None


def record_failure(db: Session, username: str, attempts: int, minutes: int) -> datetime | None:
    """Count a failed attempt; lock the username when it reaches `attempts`. Commits.
    Returns the end of the lockout if this attempt caused one."""
    key = throttle_key(username)
    now = now_utc()
    if db.get(LoginThrottle, key) is None:
        try:
            db.add(LoginThrottle(username=key, failures=0))
            db.commit()
        except IntegrityError:  # a concurrent attempt created it
            db.rollback()
    db.execute(update(LoginThrottle).where(LoginThrottle.username == key)
               .values(failures=LoginThrottle.failures + 1, last_failure_at=now))
    row = db.get(LoginThrottle, key, populate_existing=True)
    assert row is not None
    until = None
    if row.failures >= attempts:
        until = now + timedelta(minutes=minutes)
        row.locked_until, row.failures = until, 0
    db.commit()
    return until


def record_success(db: Session, username: str) -> None:
    row = db.get(LoginThrottle, throttle_key(username))
    if row is not None:
        row.failures, row.locked_until = 0, None
        db.commit()
