"""The schema is built only by the migrations, and matches the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from casestore.db import alembic_config, migrate
from casestore.models import Base

TABLES = {
    "teams",
    "practitioners",
    "channel_identities",
    "cases",
    "entries",
    "flags",
    "audit_log",
    "checklist_progress",
    "induction_progress",
    "quiz_answers",
    "referral_dates",
}


def test_migrations_create_every_table(engine: Engine) -> None:
    assert TABLES <= set(inspect(engine).get_table_names())


def test_migrations_reach_head(engine: Engine) -> None:
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0005_referral_dates"


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrate_is_idempotent(db_url: str, engine: Engine) -> None:
    migrate(db_url)
    migrate(db_url)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_downgrade_to_base_and_back(db_url: str, engine: Engine) -> None:
    from alembic import command

    command.downgrade(alembic_config(db_url), "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate(db_url)
    assert TABLES <= set(inspect(engine).get_table_names())
