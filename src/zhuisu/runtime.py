"""How the server's Python runs: the garbage collector, tuned once at startup.

A trace or recall builds thousands of small objects (rows, steps, edges) and drops them when the
response is written; they are freed by reference counting, yet CPython's cyclic collector also
runs every 700 allocations and, every tenth and hundredth time, walks the older generations —
every object the process holds, the modules and caches included. At 5M links that made the
forward trace's p99 three times its value with the collector off (bench trace, 2026-11-23: p99
116 ms with it, 40 ms without, p50 17.9 → 13.2). Freezing what is alive at startup (``gc.freeze``:
the modules, the compiled SQL, the caches) takes it out of those walks, and a young threshold of
tens of thousands lets a request finish before a collection starts. Cycles are still collected,
only less often. The benchmarks call the same function so that they measure the server as it runs.
"""

from __future__ import annotations

import gc

from zhuisu.settings import Settings


def tune_gc(settings: Settings) -> None:
    """Freeze the objects alive now and space the collections out (``ZHUISU_GC_YOUNG_THRESHOLD``;
    0 leaves the interpreter as it is)."""
    threshold = settings.gc_young_threshold
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(threshold, older, oldest)
