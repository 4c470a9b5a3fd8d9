"""checks: integrity findings of the trace chain

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "chain_findings",
        sa.Column("id", _PK, autoincrement=True, nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("event_ids", sa.Text(), nullable=False),
        sa.Column("identifiers", sa.Text(), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("event_time_us", sa.BigInteger(), nullable=False),
        sa.Column("detected_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_findings")),
    )
    with op.batch_alter_table("chain_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_findings_fingerprint"), ["fingerprint"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_chain_findings_kind_event_time_us"), ["kind", "event_time_us"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_chain_findings_event_time_us"), ["event_time_us"], unique=False)
    op.create_table(
        "chain_finding_refs",
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("finding_id", _PK, nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["chain_findings.id"],
            name=op.f("fk_chain_finding_refs_finding_id_chain_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ref", "finding_id", name=op.f("pk_chain_finding_refs")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("chain_finding_refs")
    with op.batch_alter_table("chain_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_findings_event_time_us"))
        batch_op.drop_index(batch_op.f("ix_chain_findings_kind_event_time_us"))
        batch_op.drop_index(batch_op.f("ix_chain_findings_fingerprint"))
    op.drop_table("chain_findings")
