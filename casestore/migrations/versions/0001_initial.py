"""Case record tables: teams, practitioners, channel identities, cases, entries, flags,
audit log, checklist progress.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _now() -> sa.TextClause:
    """Server-side UTC 'now' (millisecond precision on SQLite)."""
    if op.get_bind().dialect.name == "sqlite":
        return sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))")
    return sa.text("statement_timestamp()")


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=_now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "practitioners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_practitioners"),
        sa.UniqueConstraint("username", name="uq_practitioners_username"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_practitioners_team_id_teams"),
        sa.CheckConstraint(
            "role IN ('practitioner', 'manager', 'admin')", name="ck_practitioners_role"
        ),
    )
    op.create_index("ix_practitioners_team_id", "practitioners", ["team_id"])
    op.create_table(
        "channel_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("idp", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("tenant_id", sa.String(255), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_channel_identities"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_channel_identities_practitioner_id_practitioners",
        ),
        sa.UniqueConstraint(
            "idp", "external_id", "tenant_id", name="uq_channel_identities_claim"
        ),
        sa.CheckConstraint("idp IN ('web', 'teams')", name="ck_channel_identities_idp"),
    )
    op.create_index(
        "ix_channel_identities_practitioner_id", "channel_identities", ["practitioner_id"]
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        _timestamp("opened_at"),
        sa.Column("referral_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_cases_team_id_teams"),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["practitioners.id"], name="fk_cases_opened_by_id_practitioners"
        ),
    )
    op.create_index("ix_cases_team_id", "cases", ["team_id"])
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("checklist_id", sa.String(64), nullable=True),
        sa.Column("item_id", sa.String(64), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        _timestamp("recorded_at"),
        sa.Column("corrects_entry_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_entries_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_entries_practitioner_id_practitioners",
        ),
        sa.ForeignKeyConstraint(
            ["corrects_entry_id"], ["entries.id"], name="fk_entries_corrects_entry_id_entries"
        ),
        sa.UniqueConstraint("corrects_entry_id", name="uq_entries_corrects_entry_id"),
        sa.CheckConstraint(
            "kind IN ('answer', 'judgement', 'skip', 'note', 'status')", name="ck_entries_kind"
        ),
        sa.CheckConstraint(
            "kind IN ('note', 'status') OR (checklist_id IS NOT NULL AND item_id IS NOT NULL)",
            name="ck_entries_item_required",
        ),
        sa.CheckConstraint(
            "kind <> 'judgement' OR reasoning IS NOT NULL", name="ck_entries_judgement_reasoning"
        ),
        sa.CheckConstraint(
            "kind <> 'status' OR (value IN ('open', 'closed'))", name="ck_entries_status_value"
        ),
    )
    op.create_index(
        "ix_entries_case_item", "entries", ["case_id", "checklist_id", "item_id", "id"]
    )
    op.create_index("ix_entries_case_kind", "entries", ["case_id", "kind", "id"])
    op.create_index("ix_entries_practitioner_id", "entries", ["practitioner_id"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("raised_by_entry_id", sa.Integer(), nullable=True),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        _timestamp("raised_at"),
        sa.PrimaryKeyConstraint("id", name="pk_flags"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_flags_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["raised_by_entry_id"], ["entries.id"], name="fk_flags_raised_by_entry_id_entries"
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_flags_practitioner_id_practitioners",
        ),
        sa.UniqueConstraint("case_id", "rule_id", name="uq_flags_case_rule"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_audit_log_practitioner_id_practitioners",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_audit_log_case_id_cases"),
    )
    op.create_index("ix_audit_log_case", "audit_log", ["case_id", "id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "checklist_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.String(64), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("cursor_item_id", sa.String(64), nullable=True),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_progress"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_checklist_progress_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_checklist_progress_practitioner_id_practitioners",
        ),
        sa.UniqueConstraint(
            "case_id", "checklist_id", "practitioner_id", name="uq_checklist_progress_cursor"
        ),
    )


def downgrade() -> None:
    for table in (
        "checklist_progress",
        "audit_log",
        "flags",
        "entries",
        "cases",
        "channel_identities",
        "practitioners",
        "teams",
    ):
        op.drop_table(table)
