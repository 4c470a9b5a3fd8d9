"""Rate limits per credential and per client address (issue 3: "429 with Retry-After").

Counted with the ``limits`` library (a moving window). The counts live where
``ZHUISU_RATE_LIMIT_STORAGE`` says: ``memory://`` (the default) counts in the process, good for
one API process; with several workers each would count its own share, so a deployment that runs
several points every worker at one shared store (``redis://host:6379/0``), where one count is kept
for all of them. The key of a credential is its principal's name, so a key and the web session of
one account count apart.

When the shared store cannot be reached a request is let through and a warning is logged: a rate
limit protects the service, and refusing every request because the counter is down would take
the service down instead (fail open).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from limits import errors, parse, storage, strategies

from zhuisu.access.principals import Principal, Role
from zhuisu.errors import ConfigurationError, RateLimited
from zhuisu.settings import Settings

_log = logging.getLogger(__name__)
#: the namespace of zhuisu's counters in a shared store
KEY_PREFIX = "zhuisu-rate"
#: held while an app's limiter is made, so that two first requests do not make two (with
#: ``memory://`` each would count its own share)
_MAKING = threading.Lock()


class RateLimiter:
    """Two limits: one per principal (not for PUBLIC), one per client address."""

    def __init__(
        self, per_key: str, per_address: str, storage_uri: str = "memory://", *, key_prefix: str = KEY_PREFIX
    ) -> None:
        try:
            self._per_key = parse(per_key)
            self._per_address = parse(per_address)
        except ValueError as exc:
            raise ConfigurationError(f"限流设置无效: {exc}", f"invalid rate limit setting: {exc}") from None
        try:
            # wrap_exceptions: a store that cannot be reached raises limits' StorageError on hit
            backend = storage.storage_from_string(storage_uri, key_prefix=key_prefix, wrap_exceptions=True)
        except errors.ConfigurationError as exc:
            raise ConfigurationError(
                f"限流计数存储 {storage_uri!r} 无效: {exc}",
                f"invalid rate limit storage {storage_uri!r}: {exc}",
            ) from None
        self._limiter = strategies.MovingWindowRateLimiter(backend)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        return cls(settings.rate_limit_per_key, settings.rate_limit_per_address, settings.rate_limit_storage)

    def hit(self, principal: Principal, address: str) -> None:
        """Count one request; RateLimited (429, Retry-After in seconds) when over either limit."""
        checks = [(self._per_address, "address", address)]
        if principal.role is not Role.PUBLIC:
            checks.insert(0, (self._per_key, "key", principal.name))
        for limit, scope, who in checks:
            try:
                allowed = self._limiter.hit(limit, scope, who)
                reset = 0.0 if allowed else self._limiter.get_window_stats(limit, scope, who).reset_time
            except errors.StorageError as exc:
                _log.warning("rate limit store unreachable, request let through: %s", exc)
                return
            if not allowed:
                wait = max(1, math.ceil(reset - time.time()))
                what_zh = "该密钥" if scope == "key" else "该客户端地址"
                what_en = "this key" if scope == "key" else "this client address"
                raise RateLimited(
                    f"{what_zh}请求过多(上限 {limit}),请 {wait} 秒后重试",
                    f"too many requests from {what_en} (limit {limit}); retry in {wait} s",
                    retry_after=wait,
                )


def limiter_for(state: Any, settings: Settings) -> RateLimiter:
    """The app's one rate limiter, kept on ``state`` (the app's ``app.state``) and made from
    ``settings`` on first use. The API and the web pages both ask here, so a client is counted
    once whichever door it uses."""
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:
        with _MAKING:
            limiter = getattr(state, "rate_limiter", None)
            if limiter is None:
                limiter = RateLimiter.from_settings(settings)
                state.rate_limiter = limiter
    return limiter
