"""The case database for the web app: one engine per app, one SQLAlchemy session per request."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from casestore.db import make_engine, make_session_factory

EXTENSION = "casestore"


def init_app(app: Flask) -> None:
    engine = make_engine(app.config.get("DATABASE_URL") or None)
    app.extensions[EXTENSION] = make_session_factory(engine)
    app.teardown_appcontext(_close_session)


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    return (app or current_app).extensions[EXTENSION]


def engine(app: Flask | None = None) -> Engine:
    return session_factory(app).kw["bind"]


def db() -> Session:
    """This request's session (opened on first use, closed when the request ends)."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
