"""CBV 2.0 vocabulary normalisation: the three spellings meet, the CBV namespace is closed."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reference import reference_path
from zhuisu.domain import cbv
from zhuisu.domain.cbv import Vocabulary


@pytest.mark.parametrize(
    ("vocabulary", "value", "expected"),
    [
        (Vocabulary.BIZ_STEP, "shipping", "shipping"),
        (Vocabulary.BIZ_STEP, "urn:epcglobal:cbv:bizstep:shipping", "shipping"),
        (Vocabulary.BIZ_STEP, "https://ref.gs1.org/cbv/BizStep-shipping", "shipping"),
        (Vocabulary.DISPOSITION, "urn:epcglobal:cbv:disp:in_transit", "in_transit"),
        (Vocabulary.BIZ_TRANSACTION_TYPE, "urn:epcglobal:cbv:btt:po", "po"),
        (Vocabulary.SOURCE_DEST_TYPE, "https://ref.gs1.org/cbv/SDT-owning_party", "owning_party"),
        (Vocabulary.SOURCE_DEST_TYPE, "https://ref.gs1.org/cbv/SourceDestType-owning_party", None),
        (
            Vocabulary.BIZ_STEP,
            "https://example.com/steps/slaughtering",
            "https://example.com/steps/slaughtering",
        ),
    ],
)
def test_normalise(vocabulary: Vocabulary, value: str, expected: str | None) -> None:
    result = cbv.normalise(vocabulary, value)
    assert (result.value if result else None) == expected


@pytest.mark.parametrize(
    "value",
    [
        "transforming",
        "urn:epcglobal:cbv:bizstep:transforming",
        "https://ref.gs1.org/cbv/BizStep-transforming",
        "",
        "not a uri",
    ],
)
def test_rejects_non_cbv_words_and_closed_namespace(value: str) -> None:
    assert cbv.normalise(Vocabulary.BIZ_STEP, value) is None


def test_every_reference_value_in_every_spelling() -> None:
    path = reference_path("epcis", "cbv", "cbv-2.0-vocabulary.tsv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == sum(len(words) for words in cbv.WORDS.values())
    for row in rows:
        vocabulary = Vocabulary(row["vocabulary"])
        word = row["bare_string(JSON-LD)"]
        for spelling in (word, row["web_uri"], row["urn(EPCIS 1.x XML)"]):
            result = cbv.normalise(vocabulary, spelling)
            assert result is not None and result.value == word and result.standard
        assert cbv.web_uri(vocabulary, word) == row["web_uri"]
        assert cbv.urn(vocabulary, word) == row["urn(EPCIS 1.x XML)"]


def test_measurement_types() -> None:
    assert cbv.normalise_measurement_type("gs1:Temperature") == cbv.Normalised("Temperature", True)
    assert cbv.normalise_measurement_type("https://gs1.org/voc/Temperature") == cbv.Normalised(
        "Temperature", True
    )
    assert cbv.normalise_measurement_type("gs1:Warmth") is None
    assert cbv.normalise_alert_type("gs1:ALARM_CONDITION") == cbv.Normalised("ALARM_CONDITION", True)


@given(st.text())
def test_normalise_never_raises(value: str) -> None:
    for vocabulary in Vocabulary:
        result = cbv.normalise(vocabulary, value)
        assert result is None or isinstance(result.value, str)
