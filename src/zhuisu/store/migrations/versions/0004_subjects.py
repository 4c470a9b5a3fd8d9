"""subjects: filing, nodes, operators, qualifications, audit trail

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subject_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_subject_keys")),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("id_masked", sa.String(length=18), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("legal_rep", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.String(length=32), nullable=True),
        sa.Column("business_scope", sa.Text(), nullable=True),
        sa.Column("node_types", sa.Text(), nullable=False),
        sa.Column("pgln", sa.String(length=13), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_us", sa.BigInteger(), nullable=False),
        sa.Column("updated_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
    )
    op.create_index(op.f("ix_subjects_key"), "subjects", ["key"], unique=True)
    op.create_index(op.f("ix_subjects_status_region"), "subjects", ["status", "region"], unique=False)
    op.create_table(
        "subject_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_audit_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_audit")),
    )
    op.create_index(
        op.f("ix_subject_audit_subject_id_id"), "subject_audit", ["subject_id", "id"], unique=False
    )
    op.create_table(
        "subject_filings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_us", sa.BigInteger(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("decided_us", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_filings_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_filings")),
    )
    op.create_index(op.f("ix_subject_filings_late"), "subject_filings", ["late"], unique=False)
    op.create_index(
        op.f("ix_subject_filings_subject_id_id"), "subject_filings", ["subject_id", "id"], unique=False
    )
    op.create_table(
        "subject_nodes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("node_code", sa.String(length=9), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("node_type", sa.String(length=32), nullable=False),
        sa.Column("stall_no", sa.String(length=32), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("gln", sa.Text(), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_nodes_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_nodes")),
    )
    op.create_index(op.f("ix_subject_nodes_node_code"), "subject_nodes", ["node_code"], unique=True)
    op.create_index(op.f("ix_subject_nodes_subject_id"), "subject_nodes", ["subject_id"], unique=False)
    op.create_table(
        "subject_qualifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.Text(), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_qualifications_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_qualifications")),
    )
    op.create_index(
        op.f("ix_subject_qualifications_kind_number"),
        "subject_qualifications",
        ["kind", "number"],
        unique=True,
    )
    op.create_index(
        op.f("ix_subject_qualifications_valid_until"), "subject_qualifications", ["valid_until"], unique=False
    )
    op.create_table(
        "subject_operators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("operator_code", sa.String(length=13), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("stall_no", sa.String(length=32), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["subject_nodes.id"],
            name=op.f("fk_subject_operators_node_id_subject_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_operators")),
    )
    op.create_index(
        op.f("ix_subject_operators_operator_code"), "subject_operators", ["operator_code"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_subject_operators_operator_code"), table_name="subject_operators")
    op.drop_table("subject_operators")
    op.drop_index(op.f("ix_subject_qualifications_valid_until"), table_name="subject_qualifications")
    op.drop_index(op.f("ix_subject_qualifications_kind_number"), table_name="subject_qualifications")
    op.drop_table("subject_qualifications")
    op.drop_index(op.f("ix_subject_nodes_subject_id"), table_name="subject_nodes")
    op.drop_index(op.f("ix_subject_nodes_node_code"), table_name="subject_nodes")
    op.drop_table("subject_nodes")
    op.drop_index(op.f("ix_subject_filings_subject_id_id"), table_name="subject_filings")
    op.drop_index(op.f("ix_subject_filings_late"), table_name="subject_filings")
    op.drop_table("subject_filings")
    op.drop_index(op.f("ix_subject_audit_subject_id_id"), table_name="subject_audit")
    op.drop_table("subject_audit")
    op.drop_index(op.f("ix_subjects_status_region"), table_name="subjects")
    op.drop_index(op.f("ix_subjects_key"), table_name="subjects")
    op.drop_table("subjects")
    op.drop_table("subject_keys")
