"""The consumer page's timeline: repeated records of one step, place and subject are one line."""

from __future__ import annotations

from zhuisu.web.consumer_view import TimelineStep, grouped


def _step(time: str, step: str, subject: str, cert: tuple[tuple[str, str], ...] = ()) -> TimelineStep:
    return TimelineStep(time, step, step, "310101001", "上海市 黄浦区", subject, None, cert)


def test_repeated_sales_become_one_line_in_first_seen_order() -> None:
    steps = [
        _step("2026-10-18T01:00", "出栏", "farm"),
        _step("2026-10-18T06:00", "零售", "stall", (("检疫合格证号", "A1"),)),
        _step("2026-10-18T07:00", "零售", "stall", (("检疫合格证号", "A1"),)),
        _step("2026-10-18T08:00", "零售", "stall", (("检疫合格证号", "B2"),)),
        _step("2026-10-18T09:00", "零售", "other stall"),
    ]
    out = grouped(steps)
    assert [(s.step_zh, s.subject_key, s.count) for s in out] == [
        ("出栏", "farm", 1),
        ("零售", "stall", 3),
        ("零售", "other stall", 1),
    ]
    sales = out[1]
    assert sales.time == "2026-10-18T06:00" and sales.last_time == "2026-10-18T08:00"
    assert sales.certificates == (("检疫合格证号", "A1"), ("检疫合格证号", "B2"))
    assert out[0].last_time is None
