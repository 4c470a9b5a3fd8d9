"""Rate limits per credential and per client address (issue 3: "429 with Retry-After").

Counted with the ``limits`` library in memory (a moving window per process): good enough for one
API process; several workers each count their own share, which the docs say. The key of a
credential is its principal's name, so a key and the web session of one account count apart.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies

from zhuisu.access.principals import Principal, Role
from zhuisu.errors import ConfigurationError, RateLimited


class RateLimiter:
    """Two limits: one per principal (not for PUBLIC), one per client address."""

    def __init__(self, per_key: str, per_address: str) -> None:
        try:
            self._per_key = parse(per_key)
            self._per_address = parse(per_address)
        except ValueError as exc:
            raise ConfigurationError(f"限流设置无效: {exc}", f"invalid rate limit setting: {exc}") from None
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def hit(self, principal: Principal, address: str) -> None:
        """Count one request; RateLimited (429, Retry-After in seconds) when over either limit."""
        checks = [(self._per_address, "address", address)]
        if principal.role is not Role.PUBLIC:
            checks.insert(0, (self._per_key, "key", principal.name))
        for limit, scope, who in checks:
            if not self._limiter.hit(limit, scope, who):
                reset = self._limiter.get_window_stats(limit, scope, who).reset_time
                wait = max(1, math.ceil(reset - time.time()))
                what_zh = "该密钥" if scope == "key" else "该客户端地址"
                what_en = "this key" if scope == "key" else "this client address"
                raise RateLimited(
                    f"{what_zh}请求过多(上限 {limit}),请 {wait} 秒后重试",
                    f"too many requests from {what_en} (limit {limit}); retry in {wait} s",
                    retry_after=wait,
                )
