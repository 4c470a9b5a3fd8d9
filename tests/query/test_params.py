"""Parameter validation: unknown names and malformed values are QueryParameterExceptions that name
the parameter (EPCIS 2.0 §8.2.6, §8.2.7.1); values are brought to stored forms."""

from __future__ import annotations

import pytest

from zhuisu.errors import QueryParameterError
from zhuisu.query import params
from zhuisu.query.params import OrderKey


def parse(**query: str) -> params.EventQuery:
    return params.parse({k: [v] for k, v in query.items()})


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("EQ_nothing", "x", "unknown query parameter EQ_nothing"),
        ("colour", "red", "unknown query parameter colour"),
        ("eventType", "Event", "is not an EPCIS event type"),
        ("GE_eventTime", "2026-05-01", "with a time zone"),
        ("GE_eventTime", "yesterday", "with a time zone"),
        ("LT_recordTime", "2026-05-01T08:00:00", "with a time zone"),
        ("EQ_action", "SHIP", "must be ADD, OBSERVE or DELETE"),
        ("EQ_bizStep", "shiping", "neither a CBV BizStep value nor a URI"),
        ("EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-flying", "neither a CBV BizStep"),
        ("EQ_disposition", "broken", "neither a CBV Disposition"),
        ("EQ_bizTransaction_purchase", "urn:x:1", "neither a CBV BizTransactionType"),
        ("MATCH_epc", "urn:epc:id:sgtin:6901234.012345", "malformed identifier"),
        ("MATCH_epc", "https://id.gs1.org/01/06901234123457/21/1", "check digit"),
        ("MATCH_epc", "urn:epc:idpat:sgtin:6901234.*.*", "unsupported EPC pattern"),
        ("MATCH_epc", "abc*", "not an EPC pattern"),
        ("EQ_readPoint", "urn:epc:id:sgln:6901234.0001.0", "malformed identifier"),
        ("GT_quantity", "many", "is not a number"),
        ("GT_quantity", "nan", "is not a number"),
        ("EXISTS_errorDeclaration", "yes", "must be true or false"),
        ("eventCountLimit", "0", "integer >= 1"),
        ("maxEventCount", "-1", "integer >= 0"),
        ("orderDirection", "UP", "must be ASC or DESC"),
        ("orderBy", "weight", "prefix:name"),
        ("EQ_type", "Warmth", "neither a GS1 MeasurementType"),
        ("EQ_hexBinaryValue", "xyz", "not hexBinary"),
        ("GT_ex:weight", "heavy", "with a time zone"),
        ("EQ_INNER_ex:a", "1", "not supported"),
        ("EQ_bizStep", "shipping||receiving", "empty item"),
    ],
)
def test_bad_parameter_is_named_with_reason(name: str, value: str, reason: str) -> None:
    with pytest.raises(QueryParameterError) as caught:
        params.parse({name: [value]})
    assert name in caught.value.message_en
    assert reason in caught.value.message_en
    assert name in caught.value.message_zh  # Chinese first, naming the parameter too
    assert caught.value.epcis_type == "QueryParameterException"


def test_single_valued_parameters_refuse_lists() -> None:
    with pytest.raises(QueryParameterError, match="GE_eventTime"):
        params.parse({"GE_eventTime": ["2026-05-01T00:00:00Z|2026-05-02T00:00:00Z"]})
    with pytest.raises(QueryParameterError, match="maxEventCount"):
        params.parse({"maxEventCount": ["1", "2"]})


def test_event_count_limit_needs_order_by_and_excludes_max_event_count() -> None:
    with pytest.raises(QueryParameterError, match="orderBy"):
        parse(eventCountLimit="3")
    with pytest.raises(QueryParameterError, match="mutually exclusive"):
        parse(orderBy="eventTime", eventCountLimit="3", maxEventCount="4")


def test_values_reach_their_stored_forms() -> None:
    q = params.parse(
        {
            "EQ_bizStep": ["urn:epcglobal:cbv:bizstep:shipping|https://ref.gs1.org/cbv/BizStep-receiving"],
            "EQ_action": ["ADD", "DELETE"],  # a repeated name adds values
            "GE_eventTime": ["2026-05-01T08:00:00+08:00"],
        }
    )
    assert q.biz_steps == {"shipping", "receiving"}
    assert q.actions == {"ADD", "DELETE"}
    assert q.event_time.ge == 1_777_593_600_000_000


def test_patterns_and_digital_links_become_prefixes() -> None:
    (match,) = parse(MATCH_epc="urn:epc:idpat:sgtin:6901234.012345.*").id_matches
    assert match.prefixes == ("https://id.gs1.org/01/06901234123456/",)
    (same,) = parse(MATCH_epc="https://id.gs1.org/01/06901234123456").id_matches
    assert same.prefixes == match.prefixes
    (grai,) = parse(MATCH_anyEPC="urn:epc:idpat:grai:6901234.00001.*").id_matches
    assert grai.prefixes == ("https://id.gs1.org/8003/06901234000016",)  # serial follows directly
    (lot,) = parse(MATCH_epcClass="urn:epc:class:lgtin:6901234.012345.A").id_matches
    assert lot.exact == {"https://id.gs1.org/01/06901234123456/10/A"} and lot.prefixes == ()


def test_location_spellings_cover_urn_and_digital_link() -> None:
    spellings = params.location_spellings("EQ_bizLocation", "https://id.gs1.org/414/6901234000016")
    assert "urn:epc:id:sgln:6901234.00001.0" in spellings
    assert "https://id.gs1.org/414/6901234000016" in spellings


def test_order_by_and_extension_prefixes() -> None:
    q = params.parse({"orderBy": ["ex:weight"], "EQ_ex:grade": ["A"]}, {"ex": "https://example.cn/"})
    assert q.order is OrderKey.FIELD
    assert q.order_field is not None and q.order_field.iri == "https://example.cn/"
    assert q.fields[0].ref.local == "grade"


def test_json_form_keeps_pipes_and_types() -> None:
    body = {
        "EQ_bizStep": ["shipping", "receiving"],
        "GE_quantity": 5,
        "EXISTS_errorDeclaration": True,
        "@context": [{"ex": "https://example.cn/"}],
    }
    raw = params.from_json(body)
    assert raw == {
        "EQ_bizStep": ["shipping", "receiving"],
        "GE_quantity": ["5"],
        "EXISTS_errorDeclaration": ["true"],
    }
    assert params.json_namespaces(body) == {"ex": "https://example.cn/"}
    with pytest.raises(QueryParameterError):
        params.from_json({"EQ_bizStep": [{"x": 1}]})


def test_fingerprint_depends_on_query_and_scope() -> None:
    a, b = parse(EQ_bizStep="shipping"), parse(EQ_bizStep="receiving")
    assert a.fingerprint() != b.fingerprint()
    assert a.fingerprint("events") != a.fingerprint("queries/x")
    assert a.fingerprint() == parse(EQ_bizStep="shipping").fingerprint()


def test_gs1_extensions_header() -> None:
    assert params.header_namespaces("ex=https://example.cn/, b=urn:b:") == {
        "ex": "https://example.cn/",
        "b": "urn:b:",
    }
