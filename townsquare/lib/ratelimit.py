"""Fixed-window rate limits in the cache (Redis in production), loopback included.

Loopback and private addresses are deliberately not exempt: a limit that skips them is a
limit no test on this machine can exercise.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window that refused this request ends


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the right entry of X-Forwarded-For behind proxies."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    ends = (bucket + 1) * window
    return f"rl:{scope}:{ident}:{bucket}", math.ceil(ends - now)


def peek(scope: str, ident: str, limit: int, window: int) -> Verdict:
    """Whether one more hit would still be allowed, without counting it."""
    key, remaining = _key(scope, ident, window, time.time())
    count = cache.get(key, 0)
    return Verdict(allowed=count < limit, retry_after=remaining)


def hit(scope: str, ident: str, limit: int, window: int) -> Verdict:
    """Counts one hit; refused once the window has seen `limit` of them."""
    key, remaining = _key(scope, ident, window, time.time())
    # add() then incr() keeps the counter atomic on Redis and within one process on locmem.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return Verdict(allowed=count <= limit, retry_after=remaining)


def reset(scope: str, ident: str, window: int) -> None:
    key, _ = _key(scope, ident, window, time.time())
    cache.delete(key)
