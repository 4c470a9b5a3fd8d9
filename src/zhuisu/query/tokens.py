"""Page tokens (``nextPageToken``, EPCIS 2.0 REST bindings, pagination): tamper-evident, bound to
the query they continue, and expiring.

A token is ``base64url(payload) "." base64url(HMAC-SHA256(secret, payload))``. The payload holds
where the next page starts (the keyset of the last event returned), how many events were
returned so far (for eventCountLimit), the fingerprint of the query and resource, and the expiry.
Nothing is kept on the server, so any worker sharing the secret continues any page, and a token
cannot be altered to read past a visibility restriction or be replayed on another query.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

import orjson

from zhuisu.errors import QueryParameterError


@dataclass(frozen=True, slots=True)
class PagePosition:
    """Where a page starts: after (key, pk) in the query's order; ``emitted`` events so far;
    ``offset``: for extension-field ordering, which is paged by position (see service)."""

    key: int | None
    pk: int | None
    emitted: int = 0
    offset: int = 0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def encode(position: PagePosition, *, fingerprint: str, secret: bytes, expires: int) -> str:
    """A signed token for ``position`` of the query with ``fingerprint``, valid until ``expires``
    (seconds since the epoch)."""
    payload = orjson.dumps(
        {
            "f": fingerprint,
            "k": position.key,
            "p": position.pk,
            "n": position.emitted,
            "o": position.offset,
            "e": expires,
        }
    )
    return f"{_b64(payload)}.{_b64(_mac(secret, payload))}"


def _invalid(zh: str, en: str) -> QueryParameterError:
    return QueryParameterError(
        f"查询参数 nextPageToken 无效:{zh}", f"invalid query parameter nextPageToken: {en}"
    )


def decode(token: str, *, fingerprint: str, secret: bytes, now: int) -> PagePosition:
    """The position in a token; QueryParameterError when it is forged, altered, expired or was
    issued for another query."""
    body, dot, signature = token.partition(".")
    try:
        payload, mac = _unb64(body), _unb64(signature)
    except (binascii.Error, ValueError):
        payload, mac = b"", b""
    if not dot or not payload or not hmac.compare_digest(mac, _mac(secret, payload)):
        raise _invalid("签名不符(令牌被篡改或不是本平台签发)", "bad signature (altered, or not issued here)")
    data = orjson.loads(payload)
    if data.get("f") != fingerprint:
        raise _invalid("令牌属于另一个查询", "the token belongs to a different query")
    if int(data.get("e", 0)) < now:
        raise _invalid("令牌已过期,请重新查询", "the token has expired; run the query again")
    return PagePosition(data.get("k"), data.get("p"), int(data.get("n", 0)), int(data.get("o", 0)))
