"""query: named queries, location and party master data, query indexes on events

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "named_queries",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_named_queries")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("parent_id", sa.Text(), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=True),
        sa.Column("updated_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_parent_id"), ["parent_id"], unique=False)
    op.create_table(
        "parties",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=True),
        sa.Column("updated_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_biz_step_event_time_us"), ["biz_step", "event_time_us"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_read_point_event_time_us"), ["read_point", "event_time_us"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_record_time_us"), ["record_time_us"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_record_time_us"))
        batch_op.drop_index(batch_op.f("ix_events_read_point_event_time_us"))
        batch_op.drop_index(batch_op.f("ix_events_biz_step_event_time_us"))
    op.drop_table("parties")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_parent_id"))
    op.drop_table("locations")
    op.drop_table("named_queries")
