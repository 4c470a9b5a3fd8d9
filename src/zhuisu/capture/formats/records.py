"""Chinese trace records → EPCIS 2.0 events, through the step's template (docs/standards.md).

The mapping (our choice [I], written down in docs/standards.md "Lifecycle templates"):

* the WHAT field (追溯码 …): GS1 instance keys (SGTIN, SSCC, GRAI, GIAI) → ``epcList``; GS1 lot or
  class keys (LGTIN, GTIN) → ``quantityList`` (quantity = 重量 in KGM when given); every other code
  → ``epcList`` as ``https://zhuisu.cn/id/code/{code}``. On a step that issues the code it is also
  ``zs:traceCode``; on an inbound step it is ``zs:traceVoucher`` (卡单同行, SB/T 10680-10684 family);
* 时间 → ``eventTime`` and ``eventTimeZoneOffset``;
* EXTENSION fields → ``zs:<name>`` in https://zhuisu.cn/epcis/;
* parties (SOURCE / DESTINATION) → ``zs:seller`` / ``zs:buyer``, and an ``owning_party`` source /
  destination ``https://zhuisu.cn/id/subject/{USCC}`` when the value is a USCC;
* 节点编码 → ``bizLocation`` (``https://zhuisu.cn/id/node/{code}``, or the GLN's Digital Link) and
  ``zs:nodeCode``;
* bill and waybill numbers → ``bizTransactionList`` as ``urn:zhuisu:bt:{subject}:{number}``;
* every record carries ``zs:template`` (the step id), ``zs:dataQuality`` (0-100) and, when expected
  fields are missing, ``zs:missingFields`` (their keys). They are part of the event, so of its hash.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from zhuisu.capture.document import Event
from zhuisu.domain import parties
from zhuisu.domain.codes import CodeError, Identified, identify
from zhuisu.domain.event_model import ZHUISU_NS, ZHUISU_PREFIX
from zhuisu.domain.templates import CheckedRecord, CodeRole, FieldDef, Target

NAMESPACES = {ZHUISU_PREFIX: ZHUISU_NS}
_INSTANCE = frozenset({"gs1.sgtin", "gs1.sscc", "gs1.grai", "gs1.giai"})
_CLASS = frozenset({"gs1.lgtin", "gs1.gtin"})


def zs(name: str) -> str:
    return f"{ZHUISU_PREFIX}:{name}"


def code_uri(found: Identified) -> str:
    """The URI of a trace code in ``epcList``: GS1 keys as their Digital Link, others under zhuisu.cn."""
    if found.scheme.startswith("gs1."):
        return found.canonical
    return parties.code_uri(found.canonical)


@lru_cache(maxsize=4096)  # a file names the same few parties on every row; pure, so safe to remember
def party_uri(value: str) -> str | None:
    """``https://zhuisu.cn/id/subject/{USCC}`` when the value is a valid USCC (GB 32100), else None."""
    if len(value) != 18:
        return None
    try:
        return parties.subject_uri(identify(value, scheme="cn.uscc").canonical)
    except CodeError:
        return None


def to_event(record: CheckedRecord) -> Event:
    """The EPCIS event of a record that passed ``check_record`` (no problems)."""
    step = record.step
    values = record.values
    stamp = str(values["event_time"])
    event: Event = {"type": step.event_type, "eventTime": stamp, "eventTimeZoneOffset": stamp[-6:]}
    disposition = step.disposition
    if step.disposition_by is not None:
        chosen = values.get(step.disposition_by[0])
        disposition = dict(step.disposition_by[1]).get(str(chosen), disposition)
    sources: list[dict[str, str]] = []
    destinations: list[dict[str, str]] = []
    transactions: list[dict[str, str]] = []
    extensions: dict[str, Any] = {}
    weight = values.get("weight_kg")
    for sf in step.fields:
        spec = sf.field
        if spec.key not in values:
            continue
        value = values[spec.key]
        if spec.target is Target.WHAT:
            _what(event, record.codes[spec.key], weight)
            if len(record.codes[spec.key]) == 1 and step.code_role is not CodeRole.CARRIED:
                name = "traceCode" if step.code_role is CodeRole.ISSUED else "traceVoucher"
                extensions[zs(name)] = record.codes[spec.key][0].canonical
            continue
        if spec.target is Target.EVENT_TIME:
            continue
        if spec.target is Target.BIZ_TRANSACTION:
            owner = values.get("subject", "")
            transactions.append({"bizTransaction": f"urn:zhuisu:bt:{owner}:{quote(str(value), safe='')}"})
            continue
        if spec.target is Target.BIZ_LOCATION:
            found = record.codes[spec.key][0]
            gs1 = found.scheme.startswith("gs1.")
            event["bizLocation"] = {"id": found.canonical if gs1 else parties.node_uri(found.canonical)}
        elif spec.target in (Target.SOURCE, Target.DESTINATION):
            party = party_uri(str(value))
            if party is not None:
                holder = sources if spec.target is Target.SOURCE else destinations
                kind = "source" if spec.target is Target.SOURCE else "destination"
                holder.append({"type": "owning_party", kind: party})
        _extension(extensions, spec, value)
    if step.action is not None:
        event["action"] = step.action
    event["bizStep"] = step.biz_step
    if disposition is not None:
        event["disposition"] = disposition
    if transactions:
        event["bizTransactionList"] = transactions
    if sources:
        event["sourceList"] = sources
    if destinations:
        event["destinationList"] = destinations
    for name, constant in step.constants:
        extensions[zs(name)] = constant
    extensions[zs("template")] = step.id
    extensions[zs("dataQuality")] = record.quality
    if record.missing_expected:
        extensions[zs("missingFields")] = [f.key for f in record.missing_expected]
    event.update(extensions)
    return event


def _extension(extensions: dict[str, Any], spec: FieldDef, value: Any) -> None:
    if spec.extension is not None:
        extensions.setdefault(zs(spec.extension), value)


def _what(event: Event, codes: list[Identified], weight: Any) -> None:
    epcs: list[str] = []
    quantities: list[dict[str, Any]] = []
    for found in codes:
        if found.scheme in _CLASS:
            element: dict[str, Any] = {"epcClass": found.canonical}
            if weight is not None and len(codes) == 1:
                element.update(quantity=weight, uom="KGM")
            quantities.append(element)
        else:
            epcs.append(found.canonical if found.scheme in _INSTANCE else code_uri(found))
    if epcs or not quantities:
        event["epcList"] = epcs
    if quantities:
        event["quantityList"] = quantities
