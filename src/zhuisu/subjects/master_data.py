"""Filed subjects and their nodes as EPCIS master data (vocabulary elements, EPCIS 2.0 §7.2 / §12).

An approved subject is a party, each of its nodes a business location. The elements have the
shape of the EPCIS 2.0 JSON binding's ``vocabularyList`` (type, ``vocabularyElementList`` of id,
``attributes`` [{id, attribute}], ``children``), ready to be served with the master data tables of
``store.query_tables`` once they are wired together.

Identifiers: a party GLN or a node's GLN / SGLN as its canonical GS1 Digital Link where one was
filed; otherwise zhuisu's own URIs ``https://zhuisu.cn/id/subject/{key}`` and
``https://zhuisu.cn/id/node/{node code}`` (our choice). Vocabulary types: ``BusinessLocation``
and ``ReadPoint`` [found in the EPCIS 2.0 examples], ``SourceDest`` for parties [recalled,
EPCIS 1.2 standard vocabularies]. Attribute names: CBV master data attributes
``urn:epcglobal:cbv:mda#name`` … [recalled, CBV 1.2 §10] and ``urn:epcglobal:cbv:mda:site``
[found]; zhuisu's own attributes in its namespace ``https://zhuisu.cn/epcis/``.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.domain.parties import node_uri, pgln_uri, subject_uri
from zhuisu.store import subjects as store
from zhuisu.subjects.identity import region_name
from zhuisu.subjects.rules import IN_FORCE, Status

ZS = "https://zhuisu.cn/epcis/"
MDA = "urn:epcglobal:cbv:mda#"
VTYPE_PARTY = "urn:epcglobal:epcis:vtype:SourceDest"
VTYPE_LOCATION = "urn:epcglobal:epcis:vtype:BusinessLocation"


def party_id(row: store.SubjectRow) -> str:
    return pgln_uri(row.pgln) if row.pgln else subject_uri(row.key)


def location_id(node: store.NodeRow) -> str:
    return node.gln or node_uri(node.node_code)


def _attributes(pairs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": key, "attribute": value} for key, value in pairs if value not in (None, "", [])]


def master_data_of(conn: Connection, subject_id: int) -> list[dict[str, Any]]:
    """The party and location vocabularies of a subject in force; empty for any other subject."""
    row = store.subject_by_id(conn, subject_id)
    if row is None or Status(row.status) not in IN_FORCE:
        return []
    party = party_id(row)
    party_element = {
        "id": party,
        "attributes": _attributes(
            [
                (f"{MDA}name", row.name),
                (f"{MDA}streetAddressOne", row.address),
                (f"{MDA}countryCode", "CN"),
                (f"{ZS}uscc", row.uscc),
                (f"{ZS}subjectType", row.subject_type),
                (f"{ZS}region", row.region),
                (f"{ZS}regionName", region_name(row.region)),
                (f"{ZS}nodeTypes", orjson.loads(row.node_types)),
            ]
        ),
    }
    locations = []
    for node in store.nodes_of(conn, row.id):
        locations.append(
            {
                "id": location_id(node),
                "attributes": _attributes(
                    [
                        (f"{MDA}name", node.name),
                        (f"{MDA}streetAddressOne", node.address),
                        (f"{MDA}countryCode", "CN"),
                        (f"{ZS}nodeCode", node.node_code),
                        (f"{ZS}nodeType", node.node_type),
                        (f"{ZS}nodeKind", node.kind),
                        (f"{ZS}stallNo", node.stall_no),
                        (f"{ZS}region", node.region),
                        (f"{ZS}owningParty", party),
                    ]
                ),
            }
        )
    vocabularies = [{"type": VTYPE_PARTY, "vocabularyElementList": [party_element]}]
    if locations:
        vocabularies.append({"type": VTYPE_LOCATION, "vocabularyElementList": locations})
    return vocabularies
