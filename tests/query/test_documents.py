"""Output documents: GS1-EPC-Format translation and prefix clashes between events."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
import pytest

from zhuisu.errors import QueryParameterError
from zhuisu.query import documents
from zhuisu.query.documents import EpcFormat


@dataclass
class Doc:
    doc: str
    namespaces: str | None = None


EVENT = {
    "type": "ObjectEvent",
    "epcList": ["urn:epc:id:sgtin:6901234.012345.1", "https://id.gs1.org/01/06901234123456/21/2"],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:6901234.012345.A", "quantity": 1}],
    "bizLocation": {"id": "urn:epc:id:sgln:6901234.00001.0"},
    "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:6901234.00001"}],
}


def _events(body: bytes) -> list[dict[str, object]]:
    return orjson.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]  # type: ignore[no-any-return]


def test_header_values() -> None:
    assert documents.epc_format(None) is EpcFormat.NO_PREFERENCE  # stored form, see docs/api.md
    assert documents.epc_format("Always_EPC_URN") is EpcFormat.URN
    with pytest.raises(QueryParameterError, match="GS1-EPC-Format"):
        documents.epc_format("Sometimes")


def test_digital_link_output() -> None:
    (event,) = _events(
        documents.query_document([Doc(orjson.dumps(EVENT).decode())], epc_format=EpcFormat.DIGITAL_LINK)
    )
    assert event["epcList"] == [
        "https://id.gs1.org/01/06901234123456/21/1",
        "https://id.gs1.org/01/06901234123456/21/2",
    ]
    assert event["quantityList"] == [{"epcClass": "https://id.gs1.org/01/06901234123456/10/A", "quantity": 1}]
    assert event["bizLocation"] == {"id": "https://id.gs1.org/414/6901234000016"}
    assert event["sourceList"][0]["source"] == "https://id.gs1.org/417/6901234000016"  # type: ignore[index]


def test_urn_output_keeps_digital_links_it_cannot_split() -> None:
    (event,) = _events(
        documents.query_document([Doc(orjson.dumps(EVENT).decode())], epc_format=EpcFormat.URN)
    )
    # a Digital Link does not say where the company prefix ends (TDS §7): it stays
    assert event["epcList"] == [
        "urn:epc:id:sgtin:6901234.012345.1",
        "https://id.gs1.org/01/06901234123456/21/2",
    ]


def test_never_translates_splices_the_stored_text() -> None:
    text = orjson.dumps(EVENT).decode()
    body = documents.query_document([Doc(text)], epc_format=EpcFormat.NEVER)
    assert text.encode() in body


def test_clashing_prefixes_are_renamed() -> None:
    a = Doc(orjson.dumps({"type": "ObjectEvent", "ex:a": 1}).decode(), '{"ex":"https://a.example/"}')
    b = Doc(
        orjson.dumps({"type": "ObjectEvent", "ex:b": {"ex:c": 2}}).decode(), '{"ex":"https://b.example/"}'
    )
    body = orjson.loads(documents.query_document([a, b]))
    assert body["@context"][1] == {"ex": "https://a.example/", "ex_2": "https://b.example/"}
    first, second = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert first == {"type": "ObjectEvent", "ex:a": 1}
    assert second == {"type": "ObjectEvent", "ex_2:b": {"ex_2:c": 2}}
