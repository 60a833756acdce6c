"""Engines, sessions, migrations and the unit of work (transaction + bounded retries)."""
from __future__ import annotations

import functools
import logging
import random
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .config import database_url
from .errors import Refused, StoreUnavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 3000  # per attempt; worst case about 4 x 3 s before giving up
RETRY_ATTEMPTS = 4
RETRY_BASE_DELAY_S = 0.05
_PG_RETRYABLE_CODES = {"40001", "40P01"}  # serialization failure, deadlock detected

T = TypeVar("T")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (default: `database_url()`).

    SQLite: WAL journal, foreign keys on, busy timeout; the file's directory is created.
    PostgreSQL: connections are checked before use.
    """
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for the case service (objects stay readable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Run `alembic upgrade <revision>` programmatically against `url`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = url or database_url()
    return config


def is_retryable(error: BaseException) -> bool:
    """True for transient contention: SQLite 'database is locked', PostgreSQL deadlocks."""
    if isinstance(error, OperationalError):
        text = str(error.orig).lower()
        if "database is locked" in text or "database table is locked" in text:
            return True
        return getattr(error.orig, "pgcode", None) in _PG_RETRYABLE_CODES
    return False


def run_unit_of_work(
    session: Session, work: Callable[[], T], what: str = "Saving to the case record"
) -> T:
    """Run `work()` in one transaction on `session` and commit it.

    - transient contention is retried a bounded number of times (the work is re-run);
    - an IntegrityError (e.g. a concurrent duplicate) is retried once, so `work` can see
      the other writer's row and answer accordingly;
    - a `Refused` error rolls the work back, commits its audit row, and is re-raised;
    - other database errors roll back and raise `StoreUnavailable` (nothing was recorded).
    """
    integrity_retries = 1
    for attempt in range(RETRY_ATTEMPTS):
        try:
            result = work()
            session.commit()
            return result
        except Refused as refusal:
            session.rollback()
            _record_refusal(session, refusal)
            raise
        except IntegrityError as error:
            session.rollback()
            if integrity_retries > 0:
                integrity_retries -= 1
                continue
            log.error("case store integrity error: %s", error)
            raise StoreUnavailable(what) from error
        except SQLAlchemyError as error:
            session.rollback()
            if is_retryable(error) and attempt + 1 < RETRY_ATTEMPTS:
                _backoff(attempt)
                continue
            log.error("case store write failed: %s", error)
            raise StoreUnavailable(what) from error
        except BaseException:
            session.rollback()
            raise
    raise StoreUnavailable(what)


def _record_refusal(session: Session, refusal: Refused) -> None:
    """Commit the refusal's audit row in its own transaction (bounded retries)."""
    from .models import AuditEvent

    if refusal.audit is None:
        return
    for attempt in range(RETRY_ATTEMPTS):
        try:
            session.add(AuditEvent(**refusal.audit))
            session.commit()
            return
        except SQLAlchemyError as error:
            session.rollback()
            if not (is_retryable(error) and attempt + 1 < RETRY_ATTEMPTS):
                # the refusal itself still stands (it is re-raised by the caller)
                log.error("could not record a refusal in the audit log: %s", error)
                return
            _backoff(attempt)


def _backoff(attempt: int) -> None:
    time.sleep(RETRY_BASE_DELAY_S * (2**attempt) * (0.5 + random.random()))


def unit_of_work(
    what: str = "Saving to the case record",
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator for methods of objects with a `session` attribute: see `run_unit_of_work`."""

    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
            return run_unit_of_work(self.session, lambda: method(self, *args, **kwargs), what)

        return wrapper

    return decorate
