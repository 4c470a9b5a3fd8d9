"""How the simulated enterprises report: trace records through their template (``POST /records``'s
service) and EPCIS events through the capture service, buffered per simulated day.

Where a category has a lifecycle template the demo reports records of its steps; where it has none
(dairy transformations, imports, agricultural inputs, drug transfers — see docs/demo.md for why) it
captures EPCIS 2.0 events with CBV 2.0 bizSteps directly. Both go through the platform's own
validation, event hash and chain linking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection

from zhuisu.capture.document import Format, ParsedDocument
from zhuisu.capture.formats.records import NAMESPACES
from zhuisu.capture.records import submit_records
from zhuisu.capture.service import ErrorBehaviour, capture
from zhuisu.domain.parties import node_uri, subject_uri
from zhuisu.errors import ValidationFailed
from zhuisu.subjects import issuance

CST = timezone(timedelta(hours=8))


def stamp(moment: datetime) -> str:
    """ISO 8601 in China Standard Time, as enterprises' systems send it."""
    return moment.astimezone(CST).isoformat(timespec="seconds")


@dataclass(slots=True)
class Reporter:
    """Buffers a day's records and events; ``flush`` stores them and keeps their event IDs."""

    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    codes_seen: set[str] = field(default_factory=set)
    by_step: dict[str, int] = field(default_factory=dict)

    def record(self, step: str, **values: Any) -> None:
        values = {k: v for k, v in values.items() if v is not None}
        self.records.append({"step": step, **values})
        self.by_step[step] = self.by_step.get(step, 0) + 1

    def event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        step = str(event.get("bizStep", event["type"]))
        key = f"epcis:{step.rsplit('/', 1)[-1]}"
        self.by_step[key] = self.by_step.get(key, 0) + 1

    def flush(self, conn: Connection, now: datetime) -> int:
        """Store what is buffered (records first, then events); returns how many were stored."""
        stored = 0
        if self.records:
            result = submit_records(conn, list(enumerate(self.records)))
            self.event_ids.extend(result.event_ids)
            stored += result.inserted
            self.codes_seen.update(str(r.get("trace_code")) for r in self.records if r.get("trace_code"))
            self.records = []
        if self.events:
            doc = ParsedDocument(
                Format.JSON,
                events=self.events,
                namespaces=dict(NAMESPACES),
                event_paths=[f"$[{i}]" for i in range(len(self.events))],
            )
            result2 = capture(conn, doc, error_behaviour=ErrorBehaviour.ROLLBACK)
            if result2.problems:  # the generator made an invalid event: a bug, said plainly
                raise ValidationFailed(
                    "演示数据生成了无效的 EPCIS 事件",
                    "the demo generated invalid EPCIS events",
                    problems=result2.problems,
                )
            self.event_ids.extend(result2.event_ids)
            stored += result2.inserted
            self.events = []
        if self.codes_seen:
            # capture does not mark issued codes used yet; the demo does it as a reporting system would
            issuance.mark_used(conn, sorted(self.codes_seen), now=now)
            self.codes_seen = set()
        return stored


def object_event(
    *,
    at: datetime,
    biz_step: str,
    location: str,
    epcs: list[str] | None = None,
    quantities: list[tuple[str, float, str]] | None = None,
    action: str = "OBSERVE",
    disposition: str | None = None,
    transactions: list[str] | None = None,
    source: str | None = None,
    destination: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An EPCIS 2.0 ObjectEvent (§7.4.2) with CBV 2.0 bizStep / disposition words."""
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": stamp(at),
        "eventTimeZoneOffset": "+08:00",
        "epcList": list(epcs or []),
        "action": action,
        "bizStep": biz_step,
        "bizLocation": {"id": node_uri(location)},
    }
    if quantities:
        event["quantityList"] = [{"epcClass": c, "quantity": q, "uom": u} for c, q, u in quantities]
    if disposition:
        event["disposition"] = disposition
    if transactions:
        # CBV 2.0 §8.5: desadv = the seller's despatch advice, the one document both sides quote
        event["bizTransactionList"] = [{"type": "desadv", "bizTransaction": t} for t in transactions]
    if source:
        event["sourceList"] = [{"type": "owning_party", "source": subject_uri(source)}]
    if destination:
        event["destinationList"] = [{"type": "owning_party", "destination": subject_uri(destination)}]
    for name, value in (extra or {}).items():
        event[f"zs:{name}"] = value
    return event
