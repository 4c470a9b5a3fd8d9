"""Protecting ID-card numbers, and naming GB/T 2260 regions.

An individual operator is filed with a 居民身份证号码 (GB 11643). zhuisu never stores the
number: it keeps an HMAC-SHA256 of it under a per-deployment secret (made on first use and kept
in the ``subject_keys`` table) — deterministic, so a second filing of the same person is found,
but not reversible without the secret — and a masked form for display (first 3 and last 4
characters, ``110***********002X``). The secret lives in the database: this protects against
disclosure through displays, logs, exports and API answers, not against someone holding a full
copy of the database (a secret held outside the database is future hardening).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from sqlalchemy import Connection

from zhuisu.store import subjects as store

SECRET_NAME = "id_card_hmac"


def id_hash(conn: Connection, number: str) -> str:
    key = bytes.fromhex(store.secret(conn, SECRET_NAME))
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


def individual_key(digest: str) -> str:
    """The subject key of an individual: ``P`` + 17 hex digits of the hash (18 characters, like a USCC)."""
    return "P" + digest[:17].upper()


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


@lru_cache(maxsize=4096)
def region_name(code: str) -> str | None:
    """The name of a GB/T 2260 region (``山东省 烟台市``), or None if python-stdnum's list lacks it.

    The list is python-stdnum's ``cn/loc`` database (read at run time, never copied here); names
    carry the years they were valid in, ``[1983-]烟台市``: the latest is shown.
    """
    if len(code) != 6 or not code.isdigit():
        return None
    from stdnum import numdb

    info: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        info.update(props)
    if "province" not in info or "county" not in info:
        return None
    county = info["county"].split(",")[-1]
    county = county.split("]", 1)[-1]
    return info["province"] if county == info["province"] else f"{info['province']} {county}"
