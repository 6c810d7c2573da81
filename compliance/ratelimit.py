"""Fixed-window rate limits in the shared cache (Redis in production), never in process memory.

Intake never waits on the cache: when it cannot be reached, a limit fails open (the request is
let through and a warning logged), so a Redis outage never stops a removal request being filed.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What a cache backend raises when its server or folder is not there (Redis down, disk full).
CACHE_UNREACHABLE = (RedisError, OSError)


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies go."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def log_failing_open(name: str, exc: BaseException) -> None:
    log.warning("rate limit %s not applied: the cache is unreachable (%s: %s); letting the request through",
                name, type(exc).__name__, exc)


def over_limit(name: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``subject``; True once it is past ``limit`` in the current window.

    False (fail open, logged) when the cache cannot be reached."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{name}:{subject}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds + 5)
            count = 1
    except CACHE_UNREACHABLE as exc:
        log_failing_open(name, exc)
        return False
    return count > limit


def over_any_limit(hits: list[tuple[str, str, int]], *, window_seconds: int) -> bool:
    """Count one hit on each (name, subject, limit), every one of them, as ``over_limit`` would; True
    when any is past its limit. On Redis all counters take one round trip (in MULTI/EXEC, each one's
    ``SET NX`` with its expiry then ``INCR``, what ``over_limit``'s add and incr do in three)."""
    redis = caches["default"]
    if not isinstance(redis, RedisCache):
        return any([over_limit(name, subject, limit=limit, window_seconds=window_seconds)
                    for name, subject, limit in hits])
    window = int(time.time() // window_seconds)
    keys = [redis.make_and_validate_key(f"ratelimit:{name}:{subject}:{window}") for name, subject, _ in hits]
    try:
        client = redis._cache.get_client(write=True)  # type: ignore[attr-defined]  # not in the stubs
        pipe = client.pipeline(transaction=True)
        for key in keys:
            pipe.set(key, 0, nx=True, ex=window_seconds + 5)
            pipe.incr(key)
        counts = pipe.execute()[1::2]
    except CACHE_UNREACHABLE as exc:
        for name, _, _ in hits:
            log_failing_open(name, exc)
        return False
    return any(count > limit for count, (_, _, limit) in zip(counts, hits))


def _failure_key(name: str, subject: str, window_seconds: int) -> str:
    return f"failures:{name}:{subject}:{int(time.time() // window_seconds)}"


def too_many_failures(name: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Whether ``subject`` already failed ``limit`` times in this window (fails open, logged)."""
    try:
        return int(cache.get(_failure_key(name, subject, window_seconds)) or 0) >= limit
    except CACHE_UNREACHABLE as exc:
        log_failing_open(name, exc)
        return False


def count_failure(name: str, subject: str, *, window_seconds: int) -> None:
    key = _failure_key(name, subject, window_seconds)
    try:
        if not cache.add(key, 1, timeout=window_seconds + 5):
            cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds + 5)
    except CACHE_UNREACHABLE as exc:
        log_failing_open(name, exc)
