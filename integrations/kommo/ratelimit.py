"""Kommo allows "not more than 7 requests per second" per account (KOMMO.md A2) — across every process
of ours that calls it. A sliding-window log in Redis (one sorted set per account, timed by Redis's own
clock) lets at most `limit` calls start in any window; a caller over the limit waits until the oldest
call leaves the window. A token bucket would allow twice the rate across a window boundary (a full
bucket spent, then refilled), which Kommo answers with 429."""

from __future__ import annotations

import time
import uuid

from django.conf import settings

from agent_platform.redis_pool import redis_client

# KEYS[1] the account's window; ARGV: limit, window in ms, a unique member. Returns 0 when the call
# may start now, else the milliseconds to wait.
_ACQUIRE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class RateLimiter:
    def __init__(self, key: str, *, limit: int | None = None, window_ms: int | None = None) -> None:
        self.key = f"kommo:rate:{key}"
        self.limit = limit or settings.KOMMO_RATE_LIMIT_RPS
        # A little over a second: two calls started 1.00 s apart here may reach Kommo closer together.
        self.window_ms = window_ms or settings.KOMMO_RATE_LIMIT_WINDOW_MS
        self._script = redis_client().register_script(_ACQUIRE)

    def acquire(self, *, timeout: float = 30.0) -> float:
        """Block until a call may start; returns the seconds waited. Raises TimeoutError."""
        started = time.monotonic()
        member = uuid.uuid4().hex
        while True:
            wait_ms = int(self._script(keys=[self.key], args=[self.limit, self.window_ms, member]))
            if wait_ms == 0:
                return time.monotonic() - started
            if time.monotonic() - started + wait_ms / 1000 > timeout:
                raise TimeoutError(f"Kommo rate limit: no slot within {timeout} s")
            time.sleep(wait_ms / 1000)
