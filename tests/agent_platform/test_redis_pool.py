"""Django keeps a cache object per thread; the ASGI server runs each request in a new thread. The
cache objects must share one Redis connection pool, or every request opens a new connection."""

from __future__ import annotations

import threading

from django.core.cache import caches


def test_cache_objects_of_different_threads_share_one_connection_pool():
    seen = []

    def use_the_cache() -> None:
        cache = caches["default"]
        cache.set("shared-pool-probe", 1)
        seen.append((cache, cache._cache._get_connection_pool(write=True)))

    threads = [threading.Thread(target=use_the_cache) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    caches_seen, pools = zip(*seen, strict=True)
    assert len({id(cache) for cache in caches_seen}) == 3  # one cache object per thread, as Django does
    assert len({id(pool) for pool in pools}) == 1
    assert pools[0].connection_kwargs.get("db") is not None
