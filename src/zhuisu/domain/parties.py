"""The parties and locations an event names, for access control (issue 3, "Who may see what").

"Subject fields" of an event, concretely: the value of every ``sourceList[i].source`` and
``destinationList[i].destination`` (EPCIS 2.0 §7.3.5.4: owning_party / possessing_party / location
source-destination types alike) and ``bizLocation.id`` (§7.3.5.3, the place the event happened).
``readPoint`` is not one: it is a finer reading position inside the business location.

Identifiers are canonicalised (domain.epc.canonical), so ``urn:epc:id:pgln:…``,
``urn:epc:id:sgln:…`` and their GS1 Digital Links meet; non-GS1 values (zhuisu's own
``https://zhuisu.cn/id/…`` URIs of subjects and nodes) are kept as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhuisu.domain import epc

#: zhuisu's own identifier space for filed subjects, nodes and principals (our choice; the same
#: base as subjects.master_data, which serves subjects and nodes as EPCIS master data)
ID_BASE = "https://zhuisu.cn/id/"


def subject_uri(key: str) -> str:
    """The zhuisu party identifier of a filed subject (USCC or platform key)."""
    return f"{ID_BASE}subject/{key}"


def node_uri(node_code: str) -> str:
    """The zhuisu location identifier of a node (SB/T 10680 node code)."""
    return f"{ID_BASE}node/{node_code}"


def principal_uri(name: str) -> str:
    """The identifier recorded on every event a principal captured (never named by an event)."""
    return f"{ID_BASE}principal/{name}"


def pgln_uri(pgln: str) -> str:
    """The canonical Digital Link of a party GLN (AI 417)."""
    return f"{epc.CANONICAL_HOST}/417/{pgln}"


def canonical_party(value: str) -> str:
    """The canonical form of a party or location identifier (as given when not a GS1 key)."""
    try:
        return epc.canonical(value)
    except ValueError:
        return value


def named_parties(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, canonical identifier) of every subject field the event fills, in document order."""
    found: list[tuple[str, str]] = []
    location = event.get("bizLocation")
    if isinstance(location, Mapping) and isinstance(location.get("id"), str):
        found.append(("bizLocation.id", canonical_party(location["id"])))
    for list_name, key in (("sourceList", "source"), ("destinationList", "destination")):
        items = event.get(list_name)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and isinstance(item.get(key), str):
                found.append((f"{list_name}[{i}].{key}", canonical_party(item[key])))
    return found


def party_set(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The distinct canonical identifiers of the event's subject fields, sorted."""
    return tuple(sorted({ident for _, ident in named_parties(event)}))
