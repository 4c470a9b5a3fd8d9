"""templates: key / encouraged trace catalogs (versioned)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trace_catalogs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_us", sa.BigInteger(), nullable=False),
        sa.Column("published_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_catalogs")),
    )
    op.create_index(
        op.f("ix_trace_catalogs_kind_region_version"),
        "trace_catalogs",
        ["kind", "region", "version"],
        unique=True,
    )
    op.create_table(
        "trace_catalog_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("catalog_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("subclass", sa.Text(), nullable=False),
        sa.Column("variety", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["catalog_id"],
            ["trace_catalogs.id"],
            name=op.f("fk_trace_catalog_items_catalog_id_trace_catalogs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_catalog_items")),
    )
    op.create_index(
        op.f("ix_trace_catalog_items_catalog_id"), "trace_catalog_items", ["catalog_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_trace_catalog_items_catalog_id"), table_name="trace_catalog_items")
    op.drop_table("trace_catalog_items")
    op.drop_index(op.f("ix_trace_catalogs_kind_region_version"), table_name="trace_catalogs")
    op.drop_table("trace_catalogs")
