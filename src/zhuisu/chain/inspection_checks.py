"""Integrity check on inspections: goods traded on after a failed test (检测不合格 → 停止交易).

=====================================  ======================================================================
kind                                   rule and source
=====================================  ======================================================================
recall.traded_after_failed_test        an event later than a failed inspection that moves on what the
                                       inspection tested, or anything downstream of it along the trace chain
                                       (the forward walk of the recall scope, ``store.chain.walk``):
                                       ships or sells it (CBV 2.0 bizStep shipping, departing,
                                       retail_selling, dispensing), transforms it (an input of a
                                       TransformationEvent, EPCIS 2.0 §7.4.5) or issues a new 追溯码 from it
                                       (a TRACE_CODE link, the sales split). 全国肉类蔬菜流通追溯体系
                                       建设规范(试行) 2010: a failed test "自动向下游各环节发送中止交易
                                       的指令" (reference cn-standards §2.2, M9). One finding per offending
                                       event, against the earliest failed test in force: it names the test
                                       and the event, what was tested, what was moved on and the holder
                                       (bizLocation, subject).
=====================================  ======================================================================

A failed inspection is a valid event with the CBV 2.0 disposition ``non_conformant``: the record
templates set it from 检测结果 不合格 (``disposition_by`` of the 检测 / 检疫检验 steps in
domain/templates/agri_food.py, special_equipment.py). What it tested: the identifiers it names and
the nodes of its own links (the wholesale batch its ``zs:batchNo`` books them into).

Our choices (docs/standards.md "Integrity checks"): a trade at another place than the test counts
only when later by more than the clock-skew allowance (two enterprises, two clocks); the stop ends
when a later inspection (bizStep ``inspecting``) of one of the tested identifiers passes
(disposition ``conformant``: 复检合格); a failed test is looked for up to ``stop_trading_days``
before the window, the offending event must fall in the window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection

from zhuisu.chain.findings import CheckOptions, Finding, FindingKind, finding, timestamp
from zhuisu.domain.links import ALL_CHILDREN, LinkKind, Step, is_hub
from zhuisu.domain.roles import EVENT_TYPE_CODES, IdRole
from zhuisu.store import chain as chain_store
from zhuisu.store import checks as store
from zhuisu.store.checks import WindowEvent

DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
#: CBV 2.0 dispositions of an inspection's outcome and the bizStep of an inspection
NON_CONFORMANT = "non_conformant"
CONFORMANT = "conformant"
INSPECTING = "inspecting"
# CBV 2.0 bizStep words (§7.2): goods leaving a holder
SHIPPING = frozenset({"shipping", "departing"})
SALES = frozenset({"retail_selling", "dispensing"})
_TRANSFORMATION = EVENT_TYPE_CODES["TransformationEvent"]
_INPUT_ROLES = {int(IdRole.INPUT), int(IdRole.INPUT_CLASS)}


@dataclass(frozen=True, slots=True)
class _Offence:
    test: WindowEvent
    tested: tuple[str, ...]
    moved: frozenset[str]


def is_failed_test(disposition: str | None) -> bool:
    """Whether an event with this disposition is a failed inspection (CBV 2.0 ``non_conformant``)."""
    return disposition == NON_CONFORMANT


def tested_identifiers(conn: Connection, pks: Iterable[int]) -> dict[int, set[str]]:
    """What each inspection tested: the identifiers it names and the nodes of its own links (the
    batch it books them into)."""
    wanted = list(dict.fromkeys(pks))
    out: dict[int, set[str]] = defaultdict(set)
    for pk, node in store.identifiers_of_events(conn, wanted):
        out[pk].add(node)
    for row in store.links_of_events(conn, wanted):
        out[row.event_pk].update(n for n in (row.node, row.other) if n != ALL_CHILDREN and not is_hub(n))
    return dict(out)


def find(
    conn: Connection,
    window: Iterable[WindowEvent],
    options: CheckOptions,
    *,
    since_us: int,
    until_us: int,
) -> Iterator[Finding]:
    in_window = {e.pk: e for e in window}
    if not in_window:
        return
    looked_from = since_us - options.stop_trading_days * DAY_US
    tests = store.events_with_disposition(conn, NON_CONFORMANT, looked_from, until_us)
    if not tests:
        return
    tested = tested_identifiers(conn, [t.pk for t in tests])
    skew = options.clock_skew_minutes * MINUTE_US
    offences: dict[int, _Offence] = {}
    for test in tests:  # in time order: an event is held against the earliest failed test in force
        seeds = sorted(tested.get(test.pk, ()))
        if not seeds:
            continue
        reached = _reached(conn, seeds)
        lifted = _passed_again(conn, seeds, test)
        for pk, moved in _moved_on(conn, reached, in_window).items():
            e = in_window[pk]
            if pk == test.pk or pk in offences or not _after(e, test, skew):
                continue
            if lifted is not None and e.time_us > lifted:
                continue
            offences[pk] = _Offence(test, tuple(seeds), frozenset(moved))
    for pk, offence in sorted(offences.items(), key=lambda item: (in_window[item[0]].time_us, item[0])):
        yield _finding(in_window[pk], offence)


def _reached(conn: Connection, seeds: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Every node downstream of the seeds, with the times its events belong to the trace: any time
    for a node reached whole; inside the carrying window for one reached as a carrier (a pallet
    carries the tested goods only from packing to unpacking, EPCIS 2.0 §7.4.3; store/chain.py)."""
    reached: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in chain_store.walk(conn, seeds, backward=False):
        reached[row.node].append((chain_store.NEG, chain_store.POS) if row.state == 0 else (row.lo, row.hi))
    return dict(reached)


def _inside(reached: Mapping[str, list[tuple[int, int]]], node: str, t_us: int) -> bool:
    return any(lo <= t_us <= hi for lo, hi in reached.get(node, ()))


def _after(e: WindowEvent, test: WindowEvent, skew_us: int) -> bool:
    """Later than the test; at another place, later by more than the clock-skew allowance."""
    if e.biz_location is not None and e.biz_location == test.biz_location:
        return e.time_us > test.time_us
    return e.time_us > test.time_us + skew_us


def _passed_again(conn: Connection, seeds: list[str], test: WindowEvent) -> int | None:
    """The time of the first later inspection of a tested identifier that passed (复检合格)."""
    times = [
        info.time_us
        for _, _, info in chain_store.events_of_nodes(conn, seeds, with_docs=False)
        if info.biz_step == INSPECTING
        and info.disposition == CONFORMANT
        and info.time_us > test.time_us
        and info.pk != test.pk
    ]
    return min(times, default=None)


def _moved_on(
    conn: Connection, reached: Mapping[str, list[tuple[int, int]]], in_window: Mapping[int, WindowEvent]
) -> dict[int, set[str]]:
    """Window events that move a reached node on, each with the nodes it moved: a shipment or sale
    naming it or leading on from it, a transformation taking it in, a new 追溯码 issued from it."""
    moved: dict[int, set[str]] = defaultdict(set)
    for node, role, info in chain_store.events_of_nodes(conn, reached, with_docs=False):
        e = in_window.get(info.pk)
        if e is None or not _inside(reached, node, e.time_us):
            continue
        if e.event_type == _TRANSFORMATION:
            if role in _INPUT_ROLES:
                moved[e.pk].add(node)
        elif e.biz_step in SHIPPING or e.biz_step in SALES:
            moved[e.pk].add(node)
    for row in store.links_at(conn, reached, int(Step.DOWN)):
        e = in_window.get(row.event_pk)
        if e is None or not _inside(reached, row.node, e.time_us):
            continue
        outbound = e.biz_step in SHIPPING or e.biz_step in SALES
        if outbound or row.kind in (LinkKind.TRACE_CODE, LinkKind.TRANSFORMATION):
            moved[e.pk].add(row.node)
    return dict(moved)


def _verb(e: WindowEvent) -> tuple[str, str]:
    if e.biz_step in SALES:
        return "销售", "sold"
    if e.biz_step in SHIPPING:
        return "发出", "shipped"
    if e.event_type == _TRANSFORMATION:
        return "加工", "transformed"
    return "赋新追溯码流转", "issued a new trace code for"


def _some(values: list[str] | tuple[str, ...], zh: bool) -> str:
    shown = ", ".join(values[:3])
    if len(values) <= 3:
        return shown
    return f"{shown} 等 {len(values)} 项" if zh else f"{shown} and {len(values) - 3} more"


def _finding(e: WindowEvent, offence: _Offence) -> Finding:
    test = offence.test
    holder = [h for h in (e.biz_location, e.subject) if h]
    moved = sorted(offence.moved)
    who = " / ".join(holder) or "-"
    zh_verb, en_verb = _verb(e)
    return finding(
        FindingKind.TRADED_AFTER_FAILED_TEST,
        [test.event_id, e.event_id],
        list(dict.fromkeys([*offence.tested, *moved, *holder])),
        e.time_us,
        f"{_some(offence.tested, True)} 于 {timestamp(test.time_us)} 检测不合格(应停止交易),"
        f"{who} 于 {timestamp(e.time_us)} 仍{zh_verb} {_some(moved, True)}(受检货物或其下游)",
        f"{_some(offence.tested, False)} failed a test at {timestamp(test.time_us)} (stop trading); "
        f"{who} {en_verb} {_some(moved, False)} (the tested goods or downstream of them) "
        f"at {timestamp(e.time_us)}",
    )
