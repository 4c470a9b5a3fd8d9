"""Integrity checks of special equipment (特种设备): what the events of a cylinder or an elevator say
about its periodic duties, derived from the events' own fields.

=====================================  ======================================================================
kind                                   rule and source
=====================================  ======================================================================
equipment.cylinder_overdue_filled      a gas cylinder filled (bizStep ``…/filling``) on a local date after
                                       the ``zs:nextInspectionDate`` its latest earlier event stated (the
                                       periodic inspection record): 气瓶充装前检查, 超过检验期限的气瓶不得
                                       充装 — TSG 23-2021 气瓶安全技术规程 (recalled, not checked against
                                       the text).
equipment.elevator_maintenance_overdue an elevator whose maintenance (bizStep ``…/maintaining``) is more
                                       than ``MAINTENANCE_DAYS`` calendar days apart, or more than that
                                       before the check time (the end of the window, or now if earlier)
                                       with no later maintenance and no decommissioning: TSG T5002-2017
                                       电梯维护保养规则, 至少每 15 日进行一次 (recalled). Calendar dates in
                                       the events' own time zone, so the time of day of a visit does not
                                       matter; an elevator with no maintenance record at all is left out
                                       (no fact to reckon from).
=====================================  ======================================================================
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta

import orjson

from zhuisu.chain.findings import Finding, FindingKind, finding
from zhuisu.domain.links import field_keys
from zhuisu.store.chain import EventInfo
from zhuisu.store.checks import WindowEvent

MAINTENANCE_DAYS = 15
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FILLING = "filling"
MAINTAINING = "maintaining"
DECOMMISSIONING = "decommissioning"


def step_word(biz_step: str | None) -> str:
    """The bizStep's own word: CBV bare words as they are, URIs (ours: …/bizstep/filling) by their
    last segment."""
    if not biz_step:
        return ""
    return biz_step.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def local_date(us: int, offset: str | None) -> date:
    """The calendar date of a moment in an event's own time zone (eventTimeZoneOffset ±hh:mm)."""
    shift = timedelta(0)
    if offset and len(offset) == 6 and offset[0] in "+-":
        try:
            minutes = int(offset[1:3]) * 60 + int(offset[4:6])
        except ValueError:
            minutes = 0
        shift = timedelta(minutes=minutes if offset[0] == "+" else -minutes)
    return (_EPOCH + timedelta(microseconds=us) + shift).date()


def _due_date(info: EventInfo) -> date | None:
    if info.doc is None:
        return None
    doc = orjson.loads(info.doc)
    namespaces = orjson.loads(info.namespaces) if info.namespaces else {}
    value = next((doc[k] for k in field_keys(namespaces, "nextInspectionDate") if k in doc), None)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def find(
    window: Iterable[WindowEvent],
    named: Mapping[int, set[str]],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
    *,
    since_us: int,
    check_us: int,
) -> Iterator[Finding]:
    events = list(window)
    yield from _cylinders(events, named, by_node)
    yield from _elevators(events, named, by_node, since_us, check_us)


def _history(by_node: Mapping[str, list[tuple[int, EventInfo]]], node: str) -> list[EventInfo]:
    return sorted({i.pk: i for _, i in by_node.get(node, [])}.values(), key=lambda i: (i.time_us, i.pk))


def _cylinders(
    window: list[WindowEvent],
    named: Mapping[int, set[str]],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
) -> Iterator[Finding]:
    for e in window:
        if step_word(e.biz_step) != FILLING:
            continue
        for node in sorted(named.get(e.pk, ())):
            history = _history(by_node, node)
            fill = next((i for i in history if i.pk == e.pk), None)
            if fill is None:
                continue
            stated = [(i, d) for i in history if i.time_us < e.time_us and (d := _due_date(i)) is not None]
            if not stated:
                continue
            inspection, due = stated[-1]
            filled_on = local_date(e.time_us, fill.offset)
            if filled_on <= due:
                continue
            yield finding(
                FindingKind.CYLINDER_OVERDUE_FILLED,
                [inspection.event_id, e.event_id],
                [node],
                e.time_us,
                f"气瓶 {node} 检验有效期至 {due.isoformat()},却于 {filled_on.isoformat()} 充装"
                "(超过检验期限的气瓶不得充装,TSG 23)",
                f"gas cylinder {node} was filled on {filled_on.isoformat()}, past its inspection due "
                f"date {due.isoformat()} (TSG 23: no filling past the inspection date)",
            )


def _elevators(
    window: list[WindowEvent],
    named: Mapping[int, set[str]],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
    since_us: int,
    check_us: int,
) -> Iterator[Finding]:
    nodes = sorted(
        {
            n
            for e in window
            for n in named.get(e.pk, ())
            if any(step_word(i.biz_step) == MAINTAINING for _, i in by_node.get(n, []))
        }
    )
    for node in nodes:
        history = [i for i in _history(by_node, node) if i.time_us < check_us]
        visits = [i for i in history if step_word(i.biz_step) == MAINTAINING]
        if not visits:
            continue
        for a, b in itertools.pairwise(visits):
            days = (local_date(b.time_us, b.offset) - local_date(a.time_us, a.offset)).days
            if days > MAINTENANCE_DAYS and b.time_us >= since_us:
                yield _late(node, [a, b], days, a.time_us)
        last = visits[-1]
        if any(step_word(i.biz_step) == DECOMMISSIONING and i.time_us >= last.time_us for i in history):
            continue
        # the last moment checked is just before the check time (the window's end is exclusive)
        days = (local_date(check_us - 1, last.offset) - local_date(last.time_us, last.offset)).days
        if days > MAINTENANCE_DAYS:
            yield _late(node, [last], days, last.time_us)


def _late(node: str, visits: list[EventInfo], days: int, t_us: int) -> Finding:
    since = local_date(visits[0].time_us, visits[0].offset).isoformat()
    return finding(
        FindingKind.ELEVATOR_MAINTENANCE_OVERDUE,
        [i.event_id for i in visits],
        [node],
        t_us,
        f"电梯 {node} 自 {since} 起 {days} 天未维护保养(至少每 {MAINTENANCE_DAYS} 日一次,TSG T5002)",
        f"elevator {node} went {days} days without maintenance from {since} "
        f"(at least every {MAINTENANCE_DAYS} days, TSG T5002)",
    )
