"""subscriptions: query subscriptions and deliveries

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("query_name", sa.String(length=200), nullable=False),
        sa.Column("dest", sa.Text(), nullable=False),
        sa.Column("signature_token", sa.Text(), nullable=True),
        sa.Column("report_if_empty", sa.Boolean(), nullable=False),
        sa.Column("stream", sa.Boolean(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=True),
        sa.Column("epc_format", sa.String(length=32), nullable=False),
        sa.Column("initial_record_us", sa.BigInteger(), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.Column("last_pk", sa.BigInteger(), nullable=False),
        sa.Column("last_notified_us", sa.BigInteger(), nullable=True),
        sa.Column("due_us", sa.BigInteger(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["query_name"],
            ["named_queries.name"],
            name=op.f("fk_subscriptions_query_name_named_queries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscriptions_query_name_id"), ["query_name", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subscriptions_due_us"), ["due_us"], unique=False)
    op.create_table(
        "subscription_deliveries",
        sa.Column("id", _PK, autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(length=36), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("through_pk", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_subscription_deliveries_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_deliveries")),
    )
    with op.batch_alter_table("subscription_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscription_deliveries_subscription_id_id"),
            ["subscription_id", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_deliveries_subscription_id_id"))
    op.drop_table("subscription_deliveries")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_due_us"))
        batch_op.drop_index(batch_op.f("ix_subscriptions_query_name_id"))
    op.drop_table("subscriptions")
