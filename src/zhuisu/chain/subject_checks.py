"""Integrity checks on who appears in the chain: unfiled or revoked subjects, expired licences.

=====================================  ======================================================================
kind                                   rule and source
=====================================  ======================================================================
subject.unfiled                        an event names, as bizLocation or as a source / destination party,
                                       a zhuisu subject or node identifier (``https://zhuisu.cn/id/…``)
                                       whose subject was never approved (unknown, submitted or rejected).
                                       Operators must be filed before they report (上海办法 Art.10-12;
                                       GB/T 38158 §5 "节点备案") [cn-standards.md]. Parties known only by a
                                       GS1 GLN may be filed on another platform: not flagged (our choice).
subject.revoked                        … a subject whose filing was revoked before the event's time.
subject.qualification_expired          the subject where the event happened (its bizLocation's holder, or
                                       else its source parties) held a licence of some kind whose every
                                       instance had expired by the event's day (China time), e.g. a 食品
                                       生产许可 (SC) past its validity (食品生产许可管理办法 Art.33).
=====================================  ======================================================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone

import orjson
from sqlalchemy import Connection

from zhuisu.chain.findings import Finding, FindingKind, finding, timestamp
from zhuisu.domain.parties import named_parties
from zhuisu.store import registries
from zhuisu.store.checks import WindowEvent
from zhuisu.store.registries import Holder

_CHINA = timezone(timedelta(hours=8))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NEVER_APPROVED = frozenset({"submitted", "rejected"})


def event_refs(event: WindowEvent) -> tuple[list[str], list[str]]:
    """(where it happened, its source / destination parties) among the event's subject fields
    (domain.parties), registry identifiers only."""
    named = named_parties(orjson.loads(event.doc))
    keep = registries.is_subject_ref
    places = [ident for path, ident in named if path == "bizLocation.id" and keep(ident)]
    others = [ident for path, ident in named if path != "bizLocation.id" and keep(ident)]
    return places, others


def china_day(us: int) -> date:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(_CHINA).date()


def find(conn: Connection, window: Iterable[WindowEvent]) -> Iterator[Finding]:
    """Every subject.* finding over the window's events."""
    named: list[tuple[WindowEvent, list[str], list[str]]] = []
    for event in window:
        places, parties = event_refs(event)
        if places or parties:
            named.append((event, places, parties))
    known = registries.holders(conn, {r for _, pl, pa in named for r in (*pl, *pa)})
    yield from _filing(named, known)
    yield from _licences(conn, named, known)


def _filing(
    named: list[tuple[WindowEvent, list[str], list[str]]], known: Mapping[str, Holder]
) -> Iterator[Finding]:
    for event, places, parties in named:
        for ref in dict.fromkeys([*places, *parties]):
            holder = known.get(ref)
            zhuisu_id = ref.startswith((registries.ZS_SUBJECT, registries.ZS_NODE))
            if (holder is None and zhuisu_id) or (holder is not None and holder.status in _NEVER_APPROVED):
                name = holder.name if holder else ref
                yield finding(
                    FindingKind.UNFILED_SUBJECT,
                    [event.event_id],
                    [ref],
                    event.time_us,
                    f"事件 {event.event_id} 中的主体 {name} 未备案",
                    f"event {event.event_id} names {name}, which is not a filed subject",
                )
            elif holder is not None and holder.revoked_us is not None and holder.revoked_us <= event.time_us:
                yield finding(
                    FindingKind.REVOKED_SUBJECT,
                    [event.event_id],
                    [ref],
                    event.time_us,
                    f"事件 {event.event_id} 发生时主体 {holder.name} 的备案已于 "
                    f"{timestamp(holder.revoked_us)} 注销",
                    f"event {event.event_id} names {holder.name}, whose filing was revoked on "
                    f"{timestamp(holder.revoked_us)}",
                )


def _licences(
    conn: Connection, named: list[tuple[WindowEvent, list[str], list[str]]], known: Mapping[str, Holder]
) -> Iterator[Finding]:
    actors: list[tuple[WindowEvent, Holder]] = []
    for event, places, parties in named:
        refs = places or parties
        for holder in {known[r].subject_id: known[r] for r in refs if r in known}.values():
            if holder.status not in _NEVER_APPROVED:
                actors.append((event, holder))
    by_subject: dict[int, dict[str, list[registries.Qualification]]] = defaultdict(lambda: defaultdict(list))
    for q in registries.qualifications(conn, {h.subject_id for _, h in actors}):
        by_subject[q.subject_id][q.kind].append(q)
    for event, holder in actors:
        day = china_day(event.time_us)
        for kind, held in sorted(by_subject.get(holder.subject_id, {}).items()):
            if all(q.valid_until is not None and q.valid_until < day for q in held):
                latest = max(held, key=lambda q: q.valid_until or date.max)
                yield finding(
                    FindingKind.QUALIFICATION_EXPIRED,
                    [event.event_id],
                    [f"{kind}:{latest.number}"],
                    event.time_us,
                    f"事件 {event.event_id} 发生于 {day},{holder.name} 的资质 {kind} {latest.number} "
                    f"已于 {latest.valid_until} 过期",
                    f"event {event.event_id} happened on {day}, after {holder.name}'s {kind} licence "
                    f"{latest.number} expired on {latest.valid_until}",
                )
