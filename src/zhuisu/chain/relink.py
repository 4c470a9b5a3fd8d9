"""Re-deriving the trace chain of stored events (``zhuisu trace relink``).

Capture derives each event's links from the event alone (``domain.links``) and stores them in its
own transaction. When a release changes the link rules — as the batch rule changed on 2026-11-23
(an outbound record draws the portion from its batch instead of booking it in) — events stored
before the change keep the links of the old rules, and a trace would mix the two. Relinking
derives every valid event's links again from its stored document and replaces the whole
``chain_links`` table in one transaction that holds the capture lock: readers see the old chain
until the commit and the new one after it, captures wait, and a failure leaves the old chain as it
was. Error declarations and the events they retract get no links, as at capture (EPCIS 2.0
§7.4.1.4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import orjson
from sqlalchemy import Connection

from zhuisu.chain.rules import namespaces_of
from zhuisu.domain.links import LinkKeys, derive, keys_for, walk_template
from zhuisu.store import chain as chain_store
from zhuisu.store.engine import lock_capture

BATCH = 5_000


@dataclass(frozen=True, slots=True)
class RelinkResult:
    """What a relink did: events read, and the walk rows of ``chain_links`` before and after."""

    events: int
    rows_before: int
    rows_after: int

    def to_json(self) -> dict[str, int]:
        return {"events": self.events, "rows_before": self.rows_before, "rows_after": self.rows_after}


@lru_cache(maxsize=256)
def _keys(namespaces_text: str | None) -> LinkKeys:
    # the stored namespaces column holds the document's own prefixes (capture drops the standard
    # ones), which are the ones the trace fields are spelt with
    return keys_for(namespaces_of(namespaces_text))


def relink(
    conn: Connection, *, batch: int = BATCH, progress: Callable[[int], None] | None = None
) -> RelinkResult:
    """Replace every link row by the links the current rules derive from the stored events, in
    the caller's (write) transaction; ``progress`` is told the number of events of each batch."""
    lock_capture(conn)
    before = chain_store.count_links(conn)
    chain_store.delete_all_links(conn)
    after_pk, total = 0, 0
    while rows := chain_store.linkable_events(conn, after_pk, batch):
        items: list[chain_store.LinkBatchItem] = []
        for pk, t_us, doc, namespaces in rows:
            template = walk_template(derive(orjson.loads(doc), _keys(namespaces)))
            if template:
                items.append((pk, t_us, template, False))
        chain_store.write_links(conn, items)
        after_pk = rows[-1][0]
        total += len(rows)
        if progress is not None:
            progress(len(rows))
    return RelinkResult(total, before, chain_store.count_links(conn))
