"""The store's scan runs each filter shape's SELECT compiled once, as driver SQL: it must read
exactly what the SQLAlchemy statement holding the same values reads, on SQLite and PostgreSQL,
for every parameter of the data set, each sort and keyset position."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.query.test_service import CASES
from zhuisu.query import params, service
from zhuisu.store import queries as store
from zhuisu.store.engine import read_connection
from zhuisu.store.queries import EventFilter, QueryRow, SortColumn

SORTS = [(SortColumn.PK, False), (SortColumn.EVENT_TIME, True), (SortColumn.RECORD_TIME, False)]


def _both(engine: Engine, flt: EventFilter, sort: SortColumn, descending: bool, limit: int = 100) -> None:
    with read_connection(engine) as conn:
        everything = store.scan(conn, flt, sort=sort, descending=descending, after=None, limit=limit)
        for after in [None, *((row.key(sort), row.pk) for row in everything[:2])]:
            fast = store.scan(conn, flt, sort=sort, descending=descending, after=after, limit=limit)
            stmt = store.scan_statement(flt, sort=sort, descending=descending, after=after, limit=limit)
            slow = [QueryRow._make(row) for row in conn.execute(stmt)]
            assert fast == slow
            assert all(isinstance(row.doc, bytes) for row in fast)


@pytest.mark.parametrize(("query", "_expected"), CASES)
def test_compiled_scan_reads_what_the_statement_reads(
    dataset: Engine, query: dict[str, str | list[str]], _expected: list[str]
) -> None:
    raw = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    parsed = params.parse(raw)
    with read_connection(dataset) as conn:
        flt = service.to_filter(conn, parsed)
    for sort, descending in SORTS:
        _both(dataset, flt, sort, descending)


def test_compiled_scan_pages_with_a_limit(dataset: Engine) -> None:
    with read_connection(dataset) as conn:
        pages = [store.scan(conn, EventFilter(), sort=SortColumn.PK, descending=False, after=None, limit=3)]
        while len(pages[-1]) == 3:
            last = pages[-1][-1]
            after = (last.pk, last.pk)
            pages.append(
                store.scan(conn, EventFilter(), sort=SortColumn.PK, descending=False, after=after, limit=3)
            )
        whole = store.scan(conn, EventFilter(), sort=SortColumn.PK, descending=False, after=None, limit=100)
    assert [row for page in pages for row in page] == whole
    assert len(whole) == 7


def test_text_hints_match_literally(dataset: Engine) -> None:
    # doc_contains is a LIKE pattern: % and _ in the text must not act as wildcards
    def count(text: str) -> int:
        flt = EventFilter(doc_contains=(text,))
        with read_connection(dataset) as conn:
            return len(store.scan(conn, flt, sort=SortColumn.PK, descending=False, after=None, limit=100))

    assert count('"eventTime"') == 7
    assert count('"eventT%e"') == 0
    assert count('"eventTim_"') == 0
