"""Deterministic benchmark workloads: EPCIS documents of realistic events, generated, never stored.

The capture workload follows reference/perf-limits.md §3: a ~1.3 KB EPCIS 2.0 ObjectEvent with
three SGTINs, action, bizStep, disposition, readPoint, bizLocation, two bizTransactions,
source/destination, a sensor element with two reports, and the Chinese trace fields of a meat
wholesale record in zhuisu's extension namespace (trace code, voucher, batch, quarantine
certificate, origin, weight, price).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import orjson

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"zs": "https://zhuisu.cn/epcis/"},
]


def gs1_check_digit(digits: str) -> str:
    """GS1 mod-10 (GS1 General Specifications §7.9): weights 3,1,3,1… from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def object_event(n: int, rng: random.Random) -> dict[str, object]:
    company = f"{6901234 + n % 50:07d}"
    item = f"{n % 97:05d}"
    day = 1 + n % 28
    hour = n % 24
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-03-{day:02d}T{hour:02d}:{n % 60:02d}:{(n * 7) % 60:02d}.{n % 1000:03d}+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:epc:id:sgtin:{company}.0{item}.{n}{k}" for k in range(3)],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": f"urn:epc:id:sgln:{company}.00001.{n % 13}"},
        "bizLocation": {"id": f"urn:epc:id:sgln:{company}.00001.0"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": f"urn:epc:id:gdti:{company}.00001.PO{n}"},
            {"type": "desadv", "bizTransaction": f"urn:epc:id:gdti:{company}.00002.DA{n}"},
        ],
        "sourceList": [{"type": "owning_party", "source": f"urn:epc:id:pgln:{company}.00001"}],
        "destinationList": [
            {"type": "owning_party", "destination": f"urn:epc:id:pgln:{6951234 + n % 40:07d}.00001"}
        ],
        "sensorElementList": [
            {
                "sensorMetadata": {"time": f"2026-03-{day:02d}T{hour:02d}:00:00+08:00"},
                "sensorReport": [
                    {"type": "Temperature", "value": round(rng.uniform(0, 8), 1), "uom": "CEL"},
                    {"type": "RelativeHumidity", "value": round(rng.uniform(60, 95), 1), "uom": "A93"},
                ],
            }
        ],
        "zs:traceCode": f"3101150010001{n:07d}",
        "zs:traceVoucher": f"3101150020001{(n * 7919) % 10**7:07d}",
        "zs:batchNo": f"PC{day:02d}{n // 1000:06d}",
        "zs:quarantineCertNo": f"A{310000000000 + n * 13:012d}",
        "zs:origin": "330782",
        "zs:productName": "猪后腿肉",
        "zs:weightKg": round(rng.uniform(5, 500), 2),
        "zs:unitPrice": round(rng.uniform(18, 36), 2),
    }


def capture_documents(events: int, per_document: int = 1000, seed: int = 2026) -> Iterator[bytes]:
    """``events`` distinct ObjectEvents as EPCISDocument JSON bytes of ``per_document`` events each."""
    rng = random.Random(seed)
    for start in range(0, events, per_document):
        batch = [object_event(n, rng) for n in range(start, min(events, start + per_document))]
        yield orjson.dumps(
            {
                "@context": CONTEXT,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-03-31T00:00:00Z",
                "epcisBody": {"eventList": batch},
            }
        )
