"""codes: trace-code issuance (requests, sequences, platform subject numbers, issued codes)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _subject_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["subject_id"], ["subjects.id"], name=op.f(f"fk_{table}_subject_id_subjects"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "code_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("product_name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_us", sa.BigInteger(), nullable=False),
        sa.Column("decided_us", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.Column("first_seq", sa.BigInteger(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=True),
        _subject_fk("code_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_requests")),
    )
    op.create_index(op.f("ix_code_requests_status_id"), "code_requests", ["status", "id"], unique=False)
    op.create_index(
        op.f("ix_code_requests_subject_id_id"), "code_requests", ["subject_id", "id"], unique=False
    )
    op.create_table(
        "code_sequences",
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        _subject_fk("code_sequences"),
        sa.PrimaryKeyConstraint("scheme", "prefix", name=op.f("pk_code_sequences")),
    )
    op.create_table(
        "code_subject_numbers",
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _subject_fk("code_subject_numbers"),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_code_subject_numbers")),
    )
    op.create_index(
        op.f("ix_code_subject_numbers_region_number"),
        "code_subject_numbers",
        ["region", "number"],
        unique=True,
    )
    op.create_table(
        "trace_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=160), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_us", sa.BigInteger(), nullable=False),
        sa.Column("used_us", sa.BigInteger(), nullable=True),
        sa.Column("voided_us", sa.BigInteger(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["code_requests.id"],
            name=op.f("fk_trace_codes_request_id_code_requests"),
            ondelete="CASCADE",
        ),
        _subject_fk("trace_codes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_codes")),
    )
    op.create_index(op.f("ix_trace_codes_code"), "trace_codes", ["code"], unique=True)
    op.create_index(op.f("ix_trace_codes_request_id_seq"), "trace_codes", ["request_id", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_trace_codes_request_id_seq"), table_name="trace_codes")
    op.drop_index(op.f("ix_trace_codes_code"), table_name="trace_codes")
    op.drop_table("trace_codes")
    op.drop_index(op.f("ix_code_subject_numbers_region_number"), table_name="code_subject_numbers")
    op.drop_table("code_subject_numbers")
    op.drop_table("code_sequences")
    op.drop_index(op.f("ix_code_requests_subject_id_id"), table_name="code_requests")
    op.drop_index(op.f("ix_code_requests_status_id"), table_name="code_requests")
    op.drop_table("code_requests")
