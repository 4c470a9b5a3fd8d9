"""initial schema: capture jobs, events, event identifiers

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:19:17.318285
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.Column("finished_us", sa.BigInteger(), nullable=True),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("error_behaviour", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=True),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=128), nullable=True),
        sa.Column("principal", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_jobs")),
    )
    with op.batch_alter_table("capture_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capture_jobs_created_us"), ["created_us"], unique=False)

    op.create_table(
        "events",
        sa.Column(
            "pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.SmallInteger(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("biz_step", sa.Text(), nullable=True),
        sa.Column("disposition", sa.Text(), nullable=True),
        sa.Column("read_point", sa.Text(), nullable=True),
        sa.Column("biz_location", sa.Text(), nullable=True),
        sa.Column("event_time_us", sa.BigInteger(), nullable=False),
        sa.Column("event_time_offset", sa.String(length=6), nullable=False),
        sa.Column("record_time_us", sa.BigInteger(), nullable=False),
        sa.Column("transformation_id", sa.Text(), nullable=True),
        sa.Column("error_declared", sa.Boolean(), nullable=False),
        sa.Column("error_declaration_us", sa.BigInteger(), nullable=True),
        sa.Column("error_reason", sa.Text(), nullable=True),
        sa.Column("capture_job", sa.String(length=36), nullable=True),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("namespaces", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["capture_job"], ["capture_jobs.id"], name=op.f("fk_events_capture_job_capture_jobs")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_biz_location_event_time_us"),
            ["biz_location", "event_time_us"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_events_event_hash_error_declared"), ["event_hash", "error_declared"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_events_event_id_error_declared"), ["event_id", "error_declared"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_events_event_time_us"), ["event_time_us"], unique=False)

    op.create_table(
        "event_ids",
        sa.Column("event_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.SmallInteger(), nullable=False),
        sa.Column("identifier", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_pk"], ["events.pk"], name=op.f("fk_event_ids_event_pk_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_pk", "role", "identifier", name=op.f("pk_event_ids")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("event_ids", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_ids_identifier_event_pk"), ["identifier", "event_pk"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_ids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_ids_identifier_event_pk"))

    op.drop_table("event_ids")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_event_time_us"))
        batch_op.drop_index(batch_op.f("ix_events_event_id_error_declared"))
        batch_op.drop_index(batch_op.f("ix_events_event_hash_error_declared"))
        batch_op.drop_index(batch_op.f("ix_events_biz_location_event_time_us"))

    op.drop_table("events")
    with op.batch_alter_table("capture_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_jobs_created_us"))

    op.drop_table("capture_jobs")
