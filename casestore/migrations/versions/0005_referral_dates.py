"""Referral dates: an append-only history per case (the latest row is current), so a referral
date can be recorded or corrected after the case was opened without losing the earlier value.
Cases opened with a referral date get a first row copied from the case (who opened it, when,
and the channel of its open_case audit row).

Revision ID: 0005_referral_dates
Revises: 0004_induction
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_referral_dates"
down_revision = "0004_induction"
branch_labels = None
depends_on = None

TABLE = "referral_dates"
PG_FUNCTION = "casestore_refuse_change"  # created by 0002_append_only

BACKFILL = f"""
INSERT INTO {TABLE} (case_id, referral_date, practitioner_id, channel, recorded_at)
SELECT c.id, c.referral_date, c.opened_by_id,
       COALESCE((SELECT a.channel FROM audit_log a
                 WHERE a.case_id = c.id AND a.action = 'open_case'
                 ORDER BY a.id LIMIT 1), 'unknown'),
       c.opened_at
FROM cases c WHERE c.referral_date IS NOT NULL ORDER BY c.id
"""


def _now() -> sa.TextClause:
    if op.get_bind().dialect.name == "sqlite":
        return sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))")
    return sa.text("statement_timestamp()")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_referral_dates"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_referral_dates_case_id_cases"),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name="fk_referral_dates_practitioner_id_practitioners"),
    )
    op.create_index("ix_referral_dates_case", TABLE, ["case_id", "id"])
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()")
        op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()")
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    op.drop_index("ix_referral_dates_case", table_name=TABLE)
    op.drop_table(TABLE)
