"""query speed: (biz_step, pk) index on events for capture-ordered exports by bizStep

Revision ID: 0010
Revises: 0009

A query without orderBy pages in capture order (events.pk). With only the (biz_step,
event_time_us) index, a page of EQ_bizStep read every event of that step and sorted their pks
(EXPLAIN: "USE TEMP B-TREE FOR ORDER BY"), so each page of an export cost the whole step; on
(biz_step, pk) a page is a range scan of the index after the last pk.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_events_biz_step_pk"), "events", ["biz_step", "pk"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_events_biz_step_pk"), table_name="events")
