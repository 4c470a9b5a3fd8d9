"""recall and trace speed: events.subject, event_ids.quantity / uom, filled from the stored events

Revision ID: 0012
Revises: 0011

A recall summed each holder's quantities and read each holder's subject by parsing the stored
document of every event it reached — half its time at 1M links (bench trace, issue 5). Capture
now stores both (``domain.holders``); this revision adds the columns, works them out for the
events already stored, from their documents, a batch at a time, and widens the identifier index
to cover them.
"""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

from zhuisu.domain import epc
from zhuisu.domain.holders import amounts_of, subject_by_keys
from zhuisu.domain.links import field_keys
from zhuisu.domain.roles import QUANTITY_ROLES

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BATCH = 2_000


def upgrade() -> None:
    op.add_column("events", sa.Column("subject", sa.Text(), nullable=True))
    op.add_column("event_ids", sa.Column("quantity", sa.Float(), nullable=True))
    op.add_column("event_ids", sa.Column("uom", sa.String(length=16), nullable=True))
    _fill(op.get_bind())
    # the identifier index covers what a recall reads of each row, as it covered (identifier,
    # event_pk, role) before the new columns
    op.drop_index(op.f("ix_event_ids_identifier_event_pk"), table_name="event_ids")
    op.create_index(
        op.f("ix_event_ids_identifier_event_pk_role_quantity_uom"),
        "event_ids",
        ["identifier", "event_pk", "role", "quantity", "uom"],
        unique=False,
    )


def _fill(conn: sa.Connection) -> None:
    read = sa.text("SELECT pk, doc, namespaces FROM events WHERE pk > :after ORDER BY pk LIMIT :n")
    set_subject = sa.text("UPDATE events SET subject = :subject WHERE pk = :pk")
    set_amount = sa.text(
        "UPDATE event_ids SET quantity = :quantity, uom = :uom"
        " WHERE event_pk = :pk AND role = :role AND identifier = :identifier"
    )
    after = 0
    keys: dict[str | None, tuple[str, ...]] = {}
    while rows := conn.execute(read, {"after": after, "n": _BATCH}).fetchall():
        subjects: list[dict[str, Any]] = []
        amounts: list[dict[str, Any]] = []
        for pk, doc_text, ns_text in rows:
            doc = orjson.loads(doc_text)
            if ns_text not in keys:
                keys[ns_text] = field_keys(orjson.loads(ns_text) if ns_text else {}, "subject")
            subject = subject_by_keys(doc, keys[ns_text])
            if subject is not None:
                subjects.append({"pk": pk, "subject": subject})
            for name, role in QUANTITY_ROLES.items():
                for identifier, (quantity, uom) in amounts_of(doc.get(name), epc.canonical).items():
                    if uom is not None:
                        amounts.append(
                            {
                                "pk": pk,
                                "role": int(role),
                                "identifier": identifier,
                                "quantity": quantity,
                                "uom": uom,
                            }
                        )
        if subjects:
            conn.execute(set_subject, subjects)
        if amounts:
            conn.execute(set_amount, amounts)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index(op.f("ix_event_ids_identifier_event_pk_role_quantity_uom"), table_name="event_ids")
    op.create_index(
        op.f("ix_event_ids_identifier_event_pk"), "event_ids", ["identifier", "event_pk"], unique=False
    )
    with op.batch_alter_table("event_ids") as batch:
        batch.drop_column("uom")
        batch.drop_column("quantity")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("subject")
