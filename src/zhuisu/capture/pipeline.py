"""Where events are prepared (validated, hashed, mapped to rows): in this process or in workers.

Preparing is pure CPU work and independent per chunk of events; storing must stay in the one
process that holds the transaction. On the 2-core machine a worker process preparing the next
chunk while this process writes the current one keeps the writer busy, which is what lets bulk
capture come close to the raw insert rate (see bench capture). Small captures stay inline: a
worker pays off only past a few thousand events.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import orjson

from zhuisu.capture.service import Chunk, PreparedEvent, collector_paused, prepare
from zhuisu.domain.problem import Problem

Prepared = tuple[list[PreparedEvent], list[Problem]]


def _prepare_payload(
    payload: bytes,
    first_index: int,
    paths: Sequence[str],
    namespaces: Mapping[str, str],
    xml: bool,
    record_us: int,
    job_id: str | None,
) -> Prepared:
    with collector_paused():
        events = orjson.loads(payload)
        return prepare(Chunk(events, first_index, paths, namespaces, xml, record_us, job_id))


class PoolPreparer:
    """Prepares chunks in worker processes, a bounded number in flight, results in order.

    Events travel to the workers as orjson bytes (cheaper to make than a pickle of nested dicts);
    workers start with ``spawn`` so that no lock or thread of the server is inherited.
    """

    def __init__(self, workers: int = 1, *, window: int = 3) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        self._window = max(window, workers + 1)

    def map(self, chunks: Iterable[Chunk]) -> Iterator[Prepared]:
        pending: deque[Future[Prepared]] = deque()
        for chunk in chunks:
            pending.append(
                self._executor.submit(
                    _prepare_payload,
                    orjson.dumps(list(chunk.events)),
                    chunk.first_index,
                    list(chunk.paths),
                    dict(chunk.namespaces),
                    chunk.xml,
                    chunk.record_us,
                    chunk.job_id,
                )
            )
            if len(pending) >= self._window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PoolPreparer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
