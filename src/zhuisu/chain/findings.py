"""What an integrity check reports: the kinds of finding, their severity, a finding, the options.

Shared by the check families (``checks.py`` — chain breaks, quantities, time order, serials;
``subject_checks.py`` — filing and qualifications; ``code_checks.py`` — issued, voided and
decommissioned codes; ``travel_checks.py`` — impossible travel; ``equipment_checks.py`` — gas
cylinders and elevators; ``inspection_checks.py`` — trading after a failed test). Kinds are stored:
never rename one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import orjson

from zhuisu.settings import Settings

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class FindingKind(StrEnum):
    UNMATCHED_RECEIPT = "chain_break.unmatched_receipt"
    UNRECEIVED_SHIPMENT = "chain_break.unreceived_shipment"
    UNRECEIVED_SALE = "chain_break.unreceived_sale"
    OVERSOLD = "quantity.oversold"
    RECEIVED_BEFORE_SHIPPED = "time_order.received_before_shipped"
    SOLD_AFTER_RECALL = "time_order.sold_after_recall"
    IMPOSSIBLE_TRAVEL = "time_order.impossible_travel"
    TWO_PLACES = "identifier.two_places"
    VOIDED_CODE_USED = "identifier.voided_used"
    DECOMMISSIONED_USED = "identifier.decommissioned_used"
    NOT_ISSUED = "identifier.not_issued"
    UNFILED_SUBJECT = "subject.unfiled"
    REVOKED_SUBJECT = "subject.revoked"
    QUALIFICATION_EXPIRED = "subject.qualification_expired"
    CYLINDER_OVERDUE_FILLED = "equipment.cylinder_overdue_filled"
    ELEVATOR_MAINTENANCE_OVERDUE = "equipment.elevator_maintenance_overdue"
    TRADED_AFTER_FAILED_TEST = "recall.traded_after_failed_test"


SEVERITY: dict[FindingKind, str] = {
    FindingKind.UNMATCHED_RECEIPT: "warning",
    FindingKind.UNRECEIVED_SHIPMENT: "warning",
    FindingKind.UNRECEIVED_SALE: "warning",
    FindingKind.OVERSOLD: "critical",
    FindingKind.RECEIVED_BEFORE_SHIPPED: "warning",
    FindingKind.SOLD_AFTER_RECALL: "critical",
    FindingKind.IMPOSSIBLE_TRAVEL: "critical",
    FindingKind.TWO_PLACES: "critical",
    FindingKind.VOIDED_CODE_USED: "critical",
    FindingKind.DECOMMISSIONED_USED: "critical",
    FindingKind.NOT_ISSUED: "warning",
    FindingKind.UNFILED_SUBJECT: "warning",
    FindingKind.REVOKED_SUBJECT: "critical",
    FindingKind.QUALIFICATION_EXPIRED: "critical",
    FindingKind.CYLINDER_OVERDUE_FILLED: "critical",
    FindingKind.ELEVATOR_MAINTENANCE_OVERDUE: "warning",
    FindingKind.TRADED_AFTER_FAILED_TEST: "critical",
}


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """The allowances of the checks (settings ZHUISU_CHAIN_*; docs/operations.md)."""

    receipt_hours: int = 72
    clock_skew_minutes: int = 15
    same_time_minutes: int = 10
    # faster than any scheduled flight door to door: a serial moving between provinces faster
    # than this is two objects with one code (our choice; docs/standards.md "Integrity checks")
    travel_kmh: int = 900
    # how far before the window a failed test is still looked for: its stop-trading instruction
    # binds every later trade of the goods, but the look-up must be bounded (our choice;
    # docs/standards.md "Integrity checks")
    stop_trading_days: int = 90


def check_options(settings: Settings) -> CheckOptions:
    """The allowances as configured (one place for the API and the CLI)."""
    return CheckOptions(
        settings.chain_receipt_hours,
        settings.chain_clock_skew_minutes,
        settings.chain_same_time_minutes,
        settings.chain_travel_kmh,
        settings.chain_stop_trading_days,
    )


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    event_ids: tuple[str, ...]
    identifiers: tuple[str, ...]
    message_zh: str
    message_en: str
    event_time_us: int
    detected_us: int = 0
    id: int | None = None

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]

    @property
    def fingerprint(self) -> str:
        key = orjson.dumps([str(self.kind), sorted(self.event_ids), sorted(self.identifiers)])
        return hashlib.sha256(key).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "severity": self.severity,
            "eventIDs": list(self.event_ids),
            "identifiers": list(self.identifiers),
            "message": f"{self.message_zh} / {self.message_en}",
            "messageZh": self.message_zh,
            "messageEn": self.message_en,
            "eventTime": timestamp(self.event_time_us),
            "detectedAt": timestamp(self.detected_us),
        }


def finding(
    kind: FindingKind, event_ids: list[str], identifiers: list[str], t_us: int, zh: str, en: str
) -> Finding:
    return Finding(kind, tuple(event_ids), tuple(identifiers), zh, en, t_us)


def timestamp(us: int) -> str:
    return (_EPOCH + timedelta(microseconds=us)).isoformat(timespec="seconds")
