"""chain: links between events and lots

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "chain_links",
        sa.Column("node", sa.Text(), nullable=False),
        sa.Column("step", sa.SmallInteger(), nullable=False),
        sa.Column("other", sa.Text(), nullable=False),
        sa.Column("t_us", sa.BigInteger(), nullable=False),
        sa.Column("event_pk", _PK, nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("confidence", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_pk"], ["events.pk"], name=op.f("fk_chain_links_event_pk_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("node", "step", "other", "t_us", "event_pk", name=op.f("pk_chain_links")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("chain_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_links_event_pk"), ["event_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chain_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_links_event_pk"))
    op.drop_table("chain_links")
