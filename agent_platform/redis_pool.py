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
from django.conf import settings


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


_clients: dict[tuple[int, str], redis.Redis] = {}


def redis_client() -> redis.Redis:
    """A client of REDIS_URL (the cache's Redis) on this process's shared pool, for the few places
    that need Redis itself rather than the cache (rate windows, locks, wake flags). One client per
    process and URL: building one (its response-callback table) cost more than the command it sent
    (profiled on the Kommo webhook's path); clients are thread-safe."""
    key = (os.getpid(), settings.REDIS_URL)
    client = _clients.get(key)
    if client is None:
        pool = SharedConnectionPool.from_url(settings.REDIS_URL, socket_timeout=5)
        client = _clients[key] = redis.Redis(connection_pool=pool)
    return client
