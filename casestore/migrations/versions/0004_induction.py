"""Induction: each practitioner's place in the protocol tour (working state) and their quiz
answers (append-only, guarded by triggers as in 0002_append_only).

Revision ID: 0004_induction
Revises: 0003_web_sessions
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_induction"
down_revision = "0003_web_sessions"
branch_labels = None
depends_on = None

APPEND_ONLY_TABLE = "quiz_answers"
PG_FUNCTION = "casestore_refuse_change"  # created by 0002_append_only


def _now() -> sa.TextClause:
    if op.get_bind().dialect.name == "sqlite":
        return sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))")
    return sa.text("statement_timestamp()")


def upgrade() -> None:
    op.create_table(
        "induction_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("stop_index", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.String(64), nullable=True),
        sa.Column("tour_finished", sa.Boolean(), nullable=False),
        sa.Column("quiz_attempt", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_induction_progress"),
        sa.UniqueConstraint("practitioner_id", name="uq_induction_progress_practitioner_id"),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name="fk_induction_progress_practitioner_id_practitioners"),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(160), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_answers"),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name="fk_quiz_answers_practitioner_id_practitioners"),
    )
    op.create_index("ix_quiz_answers_practitioner_attempt", "quiz_answers",
                    ["practitioner_id", "attempt", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {APPEND_ONLY_TABLE}_append_only BEFORE UPDATE OR DELETE ON "
                   f"{APPEND_ONLY_TABLE} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()")
        op.execute(f"CREATE TRIGGER {APPEND_ONLY_TABLE}_no_truncate BEFORE TRUNCATE ON "
                   f"{APPEND_ONLY_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()")
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {APPEND_ONLY_TABLE}_no_{operation.lower()} BEFORE {operation} ON "
                f"{APPEND_ONLY_TABLE} BEGIN SELECT RAISE(ABORT, "
                f"'{APPEND_ONLY_TABLE} is append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY_TABLE}_append_only ON {APPEND_ONLY_TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY_TABLE}_no_truncate ON {APPEND_ONLY_TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY_TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY_TABLE}_no_delete")
    op.drop_index("ix_quiz_answers_practitioner_attempt", table_name="quiz_answers")
    op.drop_table("quiz_answers")
    op.drop_table("induction_progress")
