"""Trace codes the simulated enterprises ask the platform for (赋码), a block at a time.

Each operator draws its 20-digit meat & vegetable codes (operator code 13 + serial 7, SB/T 10680
family) from blocks requested through ``subjects.issuance`` — the same request → approve path a
real enterprise takes (approved at once here, as the ``codes_auto_approve`` setting would).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from zhuisu.subjects import issuance
from zhuisu.subjects.schemas import CodeRequestInput, CodeScheme

BLOCK = 200


@dataclass(slots=True)
class CodePool:
    subject: str
    operator_code: str
    product: str
    category: str
    scheme: CodeScheme = CodeScheme.MEAT_VEG
    codes: list[str] = field(default_factory=list)
    issued: int = 0

    def take(self, conn: Connection, now: datetime) -> str:
        if not self.codes:
            self._request(conn, now)
        self.issued += 1
        return self.codes.pop(0)

    def _request(self, conn: Connection, now: datetime) -> None:
        body = CodeRequestInput(
            subject=self.subject,
            scheme=self.scheme,
            count=BLOCK,
            product_name=self.product,
            category=self.category,
            operator_code=self.operator_code if self.scheme is CodeScheme.MEAT_VEG else None,
        )
        doc = issuance.request_codes(conn, body, auto_approve=True, now=now, actor="demo")
        _, rows = issuance.codes_of_request(conn, int(doc["id"]), limit=BLOCK)
        self.codes = [r.code for r in rows]


@dataclass(slots=True)
class CodeBook:
    """The code pools of every operator, by scheme and operator code."""

    pools: dict[str, CodePool] = field(default_factory=dict)

    def take(
        self,
        conn: Connection,
        now: datetime,
        *,
        subject: str,
        operator: str,
        product: str,
        category: str,
        scheme: CodeScheme = CodeScheme.MEAT_VEG,
    ) -> str:
        pool = self.pools.get(f"{scheme}:{operator}")
        if pool is None:
            pool = self.pools[f"{scheme}:{operator}"] = CodePool(subject, operator, product, category, scheme)
        return pool.take(conn, now)
