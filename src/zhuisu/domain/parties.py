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
from urllib.parse import quote, unquote

from zhuisu.domain import epc

#: zhuisu's own identifier space for filed subjects, nodes and principals (our choice; the same
#: base as subjects.master_data, which serves subjects and nodes as EPCIS master data)
ID_BASE = "https://zhuisu.cn/id/"
SUBJECT_BASE = f"{ID_BASE}subject/"
NODE_BASE = f"{ID_BASE}node/"
#: trace codes that are not GS1 keys (platform, meat & vegetable, drug codes …) as events name them
CODE_BASE = f"{ID_BASE}code/"


def subject_uri(key: str) -> str:
    """The zhuisu party identifier of a filed subject (USCC or platform key)."""
    return f"{SUBJECT_BASE}{key}"


def node_uri(node_code: str) -> str:
    """The zhuisu location identifier of a node (SB/T 10680 node code)."""
    return f"{NODE_BASE}{node_code}"


def code_uri(code: str) -> str:
    """The identifier an event names a non-GS1 trace code by (``epcList`` of records)."""
    return f"{CODE_BASE}{quote(code, safe='')}"


def code_of(identifier: str) -> str:
    """The code an identifier names: the bare code of a zhuisu code URI, anything else as it is
    (GS1 keys are kept as their canonical Digital Link)."""
    return unquote(identifier[len(CODE_BASE) :]) if identifier.startswith(CODE_BASE) else identifier


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
