"""Page tokens are tamper-evident, expire, and belong to one query (REST bindings, pagination)."""

from __future__ import annotations

import pytest

from zhuisu.errors import QueryParameterError
from zhuisu.query import tokens
from zhuisu.query.tokens import PagePosition

SECRET = b"k"


def test_round_trip() -> None:
    token = tokens.encode(PagePosition(5, 9, 30, 0), fingerprint="q1", secret=SECRET, expires=200)
    assert tokens.decode(token, fingerprint="q1", secret=SECRET, now=100) == PagePosition(5, 9, 30, 0)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), "bad signature"),
        (lambda t: "eyJmIjoicTEiLCJwIjoxfQ." + t.split(".")[1], "bad signature"),  # another payload
        (lambda t: t.replace(".", ""), "bad signature"),
        (lambda t: "%%%", "bad signature"),
    ],
)
def test_altered_token_is_refused(mutate: object, reason: str) -> None:
    token = tokens.encode(PagePosition(None, 9), fingerprint="q1", secret=SECRET, expires=200)
    with pytest.raises(QueryParameterError, match=reason) as caught:
        tokens.decode(mutate(token), fingerprint="q1", secret=SECRET, now=100)  # type: ignore[operator]
    assert "nextPageToken" in caught.value.message_zh


def test_other_secret_other_query_and_expiry() -> None:
    token = tokens.encode(PagePosition(None, 9), fingerprint="q1", secret=SECRET, expires=200)
    with pytest.raises(QueryParameterError, match="bad signature"):
        tokens.decode(token, fingerprint="q1", secret=b"other", now=100)
    with pytest.raises(QueryParameterError, match="different query"):
        tokens.decode(token, fingerprint="q2", secret=SECRET, now=100)
    with pytest.raises(QueryParameterError, match="expired"):
        tokens.decode(token, fingerprint="q1", secret=SECRET, now=201)
