"""Django's Redis cache, optional while Redis is out of reach: a read is a miss, a write is skipped.

Everything the platform keeps in this cache can be done without it, each user choosing its outcome:
    agent configuration and routing, plan usage, search counts   read from PostgreSQL instead (slower)
    API throttle history (DRF)       not counted: rate limits fail open (fairness, not security)
    ended sessions (accounts.session_ends)   not seen: access tokens live out their 15 minutes
    OAuth state (`add`)              refused: `add` reports "not added", so a callback cannot pass
Counters (`incr`, `decr`) still raise: a count cannot be made up. The login lockout does not use this
cache (accounts.lockout counts in PostgreSQL while Redis is away).

A dropped key (`delete`) is lost too: an entry changed during the outage can come back stale until
its expiry (agent configuration 10 min, plan usage 5 min) if Redis returns with its old data.

After a connection failure the cache stays "away" for `RETRY_SECONDS` (no connection attempt), so a
partitioned Redis costs one connect timeout per process every few seconds rather than every call.
The outage is logged once per process when it starts and when it ends, and counted
(`ap_cache_unavailable_total` by operation, on /metrics)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from prometheus_client import Counter
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
CACHE_UNAVAILABLE = Counter(
    "ap_cache_unavailable", "Cache operations skipped because Redis was out of reach", ["operation"]
)


class _Outage:
    """This process's view of the cache's Redis: reachable, or away until `retry_at`."""

    def __init__(self) -> None:
        self.retry_at = 0.0
        self.down = False
        self._lock = threading.Lock()

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            started, self.down = not self.down, True
        if started:
            logger.warning(
                "cache unavailable: reads are misses and writes are skipped until Redis answers",
                extra={"operation": operation, "error": type(exc).__name__},
            )

    def answered(self) -> None:
        if self.down:
            with self._lock:
                ended, self.down = self.down, False
            if ended:
                logger.warning("cache available again")


outage = _Outage()


class ResilientRedisCache(RedisCache):
    """RedisCache whose reads miss and writes are skipped while Redis is unreachable (see the module)."""

    def _optional(self, operation: str, default: Any, call, *args: Any, **kwargs: Any) -> Any:
        if outage.skipping():
            CACHE_UNAVAILABLE.labels(operation).inc()
            return default
        try:
            value = call(*args, **kwargs)
        except UNREACHABLE as exc:
            CACHE_UNAVAILABLE.labels(operation).inc()
            outage.failed(operation, exc)
            return default
        outage.answered()
        return value

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._optional("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._optional("get", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._optional("get", False, super().has_key, key, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._optional("set", None, super().set, key, value, timeout, version)

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        return self._optional("set", list(data), super().set_many, data, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._optional("add", False, super().add, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._optional("set", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._optional("delete", False, super().delete, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._optional("delete", None, super().delete_many, keys, version)
