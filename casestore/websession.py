"""Tables of the web app's own working state: server-side login sessions and login throttling.

Not part of the case record: rows are updated and deleted freely. Created by migration
0003_web_sessions; used only by `channels.web`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base
from .timeutil import UTCDateTime, utc_now


class WebSession(Base):
    """One browser session. The cookie holds a random token; only its SHA-256 is stored here,
    so a copy of the database does not hand out live sessions."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id"), index=True
    )
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LoginThrottle(Base):
    """Failed web logins per username (existing or not), and the lockout they caused."""

    __tablename__ = "web_login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=utc_now(), onupdate=utc_now()
    )
