"""One Redis connection pool per process for Django's cache.

Django keeps a cache object per thread, each with its own connection pool, and the ASGI server runs
every request's sync code in a new thread: every request opened a new Redis connection (TCP
connect + handshake, ~15 % of an ingest request's time, found by profiling bench/ingest). Pools are
thread-safe, so the per-thread cache objects share this one.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared: dict[tuple, redis.ConnectionPool] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> redis.ConnectionPool:
        key = (os.getpid(), url, tuple(sorted((name, repr(value)) for name, value in kwargs.items())))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
            return pool
