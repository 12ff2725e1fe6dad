"""Ended sessions: a logout, or a replayed refresh token, ends its session's access tokens at once
instead of leaving them valid until they expire (up to JWT_ACCESS_MINUTES).

Access tokens are not stored, so the ended session's id (the `sid` claim of all its tokens) is kept
in Redis for as long as one of its access tokens can live; `User.accepts_token` looks it up on every
authenticated request and websocket connection (one GET).

While Redis is out of reach this check fails open, deliberately and bounded: failing closed would sign
every user out for the outage, and what it lets through is small. An ended session's refresh token is
blacklisted in PostgreSQL, so the session cannot be extended: its access token lives at most its own
lifetime (JWT_ACCESS_MINUTES, 15) — what a JWT without this list allowed anyway. Ending every session
(a password change or reset, "sign out everywhere") is a generation in PostgreSQL
(`User.session_generation`) and keeps refusing old tokens through the outage. A logout during the outage
is not recorded here, and Redis restarted without persistence forgets the recent ones: the same bound.
The outage is logged and counted by the cache (agent_platform.cache).
"""

from __future__ import annotations

import logging

import redis
from django.core.cache import cache
from rest_framework_simplejwt.settings import api_settings

from agent_platform.ws_auth import SESSION_ID_CLAIM

logger = logging.getLogger(__name__)
__all__ = ["SESSION_ID_CLAIM", "session_end", "session_ended"]


def _key(session_id: str) -> str:
    return f"session-ended:{session_id}"


def session_end(session_id: str) -> None:
    """Refuse the access tokens of this session from now on."""
    # A minute past the access token lifetime covers the verification leeway (seconds).
    timeout = int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds()) + 60
    try:
        cache.set(_key(session_id), 1, timeout=timeout)
    except redis.RedisError:
        logger.warning("ended session not recorded: Redis unavailable", exc_info=True)


def session_ended(session_id: str | None) -> bool:
    if not session_id:
        return False
    try:
        return cache.get(_key(session_id)) is not None
    except redis.RedisError:
        logger.warning("ended-session check skipped: Redis unavailable", exc_info=True)
        return False
