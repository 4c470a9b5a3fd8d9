"""The query benchmark runs end to end on a tiny store and reports every figure (never timed)."""

from __future__ import annotations

from sqlalchemy import Engine

from zhuisu.bench import query as query_bench


def test_runner_reports_every_figure(engine: Engine) -> None:
    query_bench.build(engine, 1000)
    figures = query_bench.measure(engine, 1000, samples=5).as_dict()
    for name in ("MATCH_epc", "MATCH_epcClass_lot", "EQ_bizLocation_window"):
        assert set(figures[name]) == {"p50_ms", "p99_ms", "raw_p50_ms", "raw_p99_ms"}
        assert all(value >= 0 for value in figures[name].values())
    assert figures["export_events_per_s"] > 0 and figures["raw_export_events_per_s"] > 0
