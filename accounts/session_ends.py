"""Ended sessions: a logout, or a replayed refresh token, ends its session's access tokens at once
instead of leaving them valid until they expire (up to JWT_ACCESS_MINUTES).

Access tokens are not stored, so the ended session's id (the `sid` claim of all its tokens) is kept
in Redis for as long as one of its access tokens can live; `User.accepts_token` looks it up on every
authenticated request and websocket connection (one GET). A Redis outage fails open, like the login
lockout: the refresh tokens stay blacklisted in PostgreSQL, only the short-lived access tokens live on.
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
