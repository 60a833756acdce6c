"""Server-side sessions: the cookie carries only a random token; the data lives in the
`web_sessions` table (keyed by the token's SHA-256), so ending a session on the server ends it."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete
from werkzeug.datastructures import CallbackDict

from casestore.timeutil import now_utc
from casestore.websession import WebSession

from .database import session_factory

TOUCH_INTERVAL = timedelta(seconds=60)  # don't write last_seen_at on every request


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):  # type: ignore[type-arg]
    def __init__(self, initial: dict[str, Any] | None = None, row_key: str | None = None,
                 created_at: datetime | None = None, last_seen_at: datetime | None = None) -> None:
        def on_update(session: ServerSession) -> None:
            session.modified = True

        super().__init__(initial or {}, on_update)
        self.row_key = row_key
        self.created_at = created_at
        self.last_seen_at = last_seen_at
        self.new = row_key is None
        self.modified = False
        self.rotate_requested = False
        self.end_requested = False

    def rotate(self) -> None:
        """Give the session a new token (on login: a token seen before login is worthless after)."""
        self.rotate_requested = True
        self.modified = True

    def end(self) -> None:
        """Delete the session on the server and the cookie in the browser."""
        self.clear()
        self.end_requested = True


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > 128:
            return ServerSession()
        with session_factory(app)() as db:
            row = db.get(WebSession, token_hash(token))
            if row is None or row.expires_at <= now_utc():
                return ServerSession()
            return ServerSession(json.loads(row.data), row.token_hash, row.created_at, row.last_seen_at)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if session.end_requested:
            if session.row_key:
                self._delete(app, session.row_key)
                session.row_key = None
            if not dict(session):
                self._delete_cookie(app, response)
                return
            # written to after it ended (a CSRF token for the sign-in form): a new session
        if session.row_key is None or session.rotate_requested:
            if session.row_key:
                self._delete(app, session.row_key)
            if dict(session):
                self._create(app, session, response)
            return
        now = now_utc()
        stale = session.last_seen_at is None or now - session.last_seen_at > TOUCH_INTERVAL
        if session.modified or stale:
            self._update(app, session, now)

    # ----- rows ---------------------------------------------------------------------------

    def _expiry(self, app: Flask, created_at: datetime, now: datetime) -> datetime:
        idle = now + timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        return min(idle, created_at + timedelta(hours=app.config["SESSION_MAX_HOURS"]))

    def _create(self, app: Flask, session: ServerSession, response: Response) -> None:
        token = secrets.token_urlsafe(32)
        now = now_utc()
        with session_factory(app)() as db:
            db.execute(delete(WebSession).where(WebSession.expires_at <= now))
            db.add(WebSession(token_hash=token_hash(token), practitioner_id=session.get("uid"),
                              data=json.dumps(dict(session)), created_at=now, last_seen_at=now,
                              expires_at=self._expiry(app, now, now)))
            db.commit()
        response.set_cookie(self.get_cookie_name(app), token, httponly=True, samesite="Strict",
                            secure=self._secure(app), path="/")

    def _update(self, app: Flask, session: ServerSession, now: datetime) -> None:
        with session_factory(app)() as db:
            row = db.get(WebSession, session.row_key)
            if row is None:  # ended elsewhere (another tab logged out): keep it ended
                return
            row.data = json.dumps(dict(session))
            row.practitioner_id = session.get("uid")
            row.last_seen_at = now
            row.expires_at = self._expiry(app, row.created_at, now)
            db.commit()

    def _delete(self, app: Flask, row_key: str) -> None:
        with session_factory(app)() as db:
            db.execute(delete(WebSession).where(WebSession.token_hash == row_key))
            db.commit()

    def _delete_cookie(self, app: Flask, response: Response) -> None:
        response.delete_cookie(self.get_cookie_name(app), path="/", httponly=True,
                               samesite="Strict", secure=self._secure(app))

    def _secure(self, app: Flask) -> bool:
        from flask import request

        mode = app.config["WEB_SECURE_COOKIES"]
        return mode == "true" or (mode == "auto" and request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
