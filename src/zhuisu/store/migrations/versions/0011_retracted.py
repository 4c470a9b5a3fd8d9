"""trace speed: events.retracted, set on an original once its error declaration is stored

Revision ID: 0011
Revises: 0010

Traces, recalls and integrity checks read only valid events: neither an error declaration nor an
event that one declares erroneous (EPCIS 2.0 §7.4.1.4). The second half was a NOT EXISTS lookup of
a declaration row per event read, half the cost of reading a trace's events (bench trace at 1M
links, issue 5). The flag is kept by ``store.events.insert_batch``; this revision sets it on the
events already stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("retracted", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE events SET retracted = true WHERE error_declared = false AND EXISTS"
        " (SELECT 1 FROM events d WHERE d.event_id = events.event_id AND d.error_declared = true)"
    )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("retracted")
