"""Integrity checks on codes: voided codes used, decommissioned objects seen again, codes the
platform should have issued but did not.

=====================================  ======================================================================
kind                                   rule and source
=====================================  ======================================================================
identifier.voided_used                 an event at or after the time a code issued here was voided (作废:
                                       a damaged or lost label) names it: a voided code must never come back
                                       (GB/T 44583-2024 trace-code life cycle [recalled, cn-standards.md]).
identifier.decommissioned_used         an instance-level identifier (SGTIN, GIAI, SSCC …) named by an event
                                       after a ``decommissioning`` or ``destroying`` event of it (CBV 2.0
                                       §7.2: the object left the supply chain; a later sighting is a copy).
identifier.not_issued                  a platform trace code (scheme ``zhuisu.platform``, whose only issuer
                                       is this platform) that the platform never issued: a made-up code.
=====================================  ======================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from sqlalchemy import Connection

from zhuisu.chain.findings import Finding, FindingKind, finding, timestamp
from zhuisu.domain.codes import CodeError, identify
from zhuisu.domain.parties import CODE_BASE, code_of
from zhuisu.store import codes as code_store
from zhuisu.store.chain import EventInfo
from zhuisu.store.checks import WindowEvent

PLATFORM_SCHEME = "zhuisu.platform"
# CBV 2.0 bizStep words after which the object is out of the supply chain
GONE = frozenset({"decommissioning", "destroying"})


def find(
    conn: Connection,
    window: Iterable[WindowEvent],
    named: Mapping[int, set[str]],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
    instance_level: set[str],
) -> Iterator[Finding]:
    """Every identifier.* finding of this module over the window's events.

    ``named``: event pk → identifiers it names; ``by_node``: identifier → every event naming it;
    ``instance_level``: the named identifiers that denote one object.
    """
    events = list(window)
    forms = {ident: code_of(ident) for pk in named for ident in named[pk]}
    issued = {row.code: row for row in code_store.codes_in(conn, set(forms.values()))}
    for event in events:
        for ident in sorted(named.get(event.pk, ())):
            row = issued.get(forms[ident])
            if row is not None and row.voided_us is not None and row.voided_us <= event.time_us:
                yield finding(
                    FindingKind.VOIDED_CODE_USED,
                    [event.event_id],
                    [ident],
                    event.time_us,
                    f"追溯码 {row.code} 已于 {timestamp(row.voided_us)} 作废,事件 {event.event_id} 仍在使用",
                    f"trace code {row.code} was voided on {timestamp(row.voided_us)} but event "
                    f"{event.event_id} uses it",
                )
            elif row is None and ident.startswith(CODE_BASE) and _platform_code(forms[ident]):
                yield finding(
                    FindingKind.NOT_ISSUED,
                    [event.event_id],
                    [ident],
                    event.time_us,
                    f"平台追溯码 {forms[ident]} 不是本平台发放的(事件 {event.event_id})",
                    f"platform trace code {forms[ident]} was never issued by this platform "
                    f"(event {event.event_id})",
                )
    yield from _after_decommission(events, named, by_node, instance_level)


def _platform_code(code: str) -> bool:
    try:
        return identify(code).scheme == PLATFORM_SCHEME
    except CodeError:
        return False


def _after_decommission(
    events: list[WindowEvent],
    named: Mapping[int, set[str]],
    by_node: Mapping[str, list[tuple[int, EventInfo]]],
    instance_level: set[str],
) -> Iterator[Finding]:
    for event in events:
        for ident in sorted(named.get(event.pk, set()) & instance_level):
            ends = [
                info
                for _, info in by_node.get(ident, ())
                if info.biz_step in GONE and info.pk != event.pk and info.time_us < event.time_us
            ]
            if ends:
                end = min(ends, key=lambda i: (i.time_us, i.pk))
                yield finding(
                    FindingKind.DECOMMISSIONED_USED,
                    [end.event_id, event.event_id],
                    [ident],
                    event.time_us,
                    f"{ident} 已于 {timestamp(end.time_us)} 注销/销毁(事件 {end.event_id}),"
                    f"事件 {event.event_id} 又出现",
                    f"{ident} left the supply chain on {timestamp(end.time_us)} (event {end.event_id}) "
                    f"but event {event.event_id} names it again",
                )
