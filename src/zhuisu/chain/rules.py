"""What the chain shows about nodes: their kinds, the stored namespaces, reconciliation tolerances.

Pure reading rules over identifiers and stored columns; the link rules themselves are in
``zhuisu.domain.links`` and the holder of a step in ``zhuisu.domain.holders`` (both run at capture).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from enum import StrEnum
from functools import lru_cache

import orjson

from zhuisu.domain import epc
from zhuisu.domain.links import LinkKind


class NodeKind(StrEnum):
    """What a node of the trace graph is."""

    ITEM = "item"  # one serialised object (SGTIN and other instance keys)
    LOT = "lot"  # class + lot (LGTIN) or another lot-level class URI
    CONTAINER = "container"  # a logistic unit (SSCC) or returnable asset (GRAI, GIAI)
    BATCH = "batch"  # a wholesale batch (批次号), scoped by its subject
    TRACE_CODE = "trace_code"  # a trace code (追溯码) or voucher (追溯凭证号)
    TRANSACTION = "transaction"  # a business transaction (EPCIS 2.0 §7.3.5.3)
    TRANSFORMATION = "transformation"  # a transformationID (§7.4.5)
    LOCATION = "location"  # a bizLocation / readPoint
    SUBJECT = "subject"  # a responsible subject (USCC, party GLN)
    OTHER = "other"


KIND_NAMES: dict[int, str] = {
    LinkKind.TRANSFORMATION: "transformation",
    LinkKind.AGGREGATION: "aggregation",
    LinkKind.DISAGGREGATION: "disaggregation",
    LinkKind.BIZ_TRANSACTION: "biz_transaction",
    LinkKind.VOUCHER: "voucher",
    LinkKind.TRACE_CODE: "trace_code",
    LinkKind.BATCH: "batch",
}

_CONTAINER_AIS = ("/00/", "/8003/", "/8004/")


def node_kind(node: str, link_kinds: AbstractSet[int], *, transformation_id: bool = False) -> NodeKind:
    """The kind of a node, from its spelling and the links that reach it."""
    if transformation_id:
        return NodeKind.TRANSFORMATION
    if node.startswith(epc.CANONICAL_HOST + "/"):
        path = node[len(epc.CANONICAL_HOST) :]
        if path.startswith(_CONTAINER_AIS):
            return NodeKind.CONTAINER
        if "/21/" in path or "/235/" in path:
            return NodeKind.ITEM
        if "/10/" in path:
            return NodeKind.LOT
        return NodeKind.OTHER
    if node.startswith("urn:zhuisu:batch:"):
        return NodeKind.BATCH
    if link_kinds & {LinkKind.TRACE_CODE, LinkKind.VOUCHER}:
        return NodeKind.TRACE_CODE
    if LinkKind.BIZ_TRANSACTION in link_kinds:
        return NodeKind.TRANSACTION
    return NodeKind.LOT if node.startswith("urn:epc:class:") else NodeKind.OTHER


@lru_cache(maxsize=1024)
def _namespaces(text: str) -> Mapping[str, str]:
    parsed: dict[str, str] = orjson.loads(text)
    return parsed


def namespaces_of(text: str | None) -> Mapping[str, str]:
    """The stored namespaces column as a mapping (few distinct values: cached)."""
    return _namespaces(text) if text else {}


#: Tolerance of the quantity reconciliation (Σ sold ≤ Σ received × (1 + tolerance)) per category,
#: read from ``zs:category`` of the lot's records. Platform defaults, not from a standard (inferred:
#: scales at markets are checked to about ±1 % and cut meat and vegetables lose water; drugs and
#: counted goods have no slack). docs/standards.md repeats this table.
TOLERANCES: dict[str, float] = {
    "meat": 0.02,  # 肉类
    "vegetable": 0.05,  # 蔬菜
    "aquatic": 0.05,  # 水产品
    "food": 0.02,  # 食品
    "drug": 0.0,  # 药品: counted packs
    "agricultural_input": 0.0,  # 农业生产资料
}
DEFAULT_TOLERANCE = 0.02


def tolerance_for(category: str | None) -> float:
    """The reconciliation tolerance of a category (DEFAULT_TOLERANCE when unknown)."""
    return TOLERANCES.get(category or "", DEFAULT_TOLERANCE)
