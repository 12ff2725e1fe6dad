"""Websocket authentication with the JWT access token: `?token=<access>` or, to keep tokens out of
access logs, a first message `{"type": "auth", "token": "<access>"}` handled by the consumer."""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken

SESSION_ID_CLAIM = "sid"  # the session every token of one login carries (accounts.services.sessions)


def session_of_access_token(raw_token: str) -> str | None:
    """The session id of an access token already accepted by `user_for_access_token`."""
    try:
        return AccessToken(raw_token).get(SESSION_ID_CLAIM)
    except TokenError:
        return None


def user_for_access_token(raw_token: str):
    """The active user an access token belongs to, or None (also when the user's sessions were
    revoked after the token was issued)."""
    try:
        token = AccessToken(raw_token)
    except TokenError:
        return None
    user_id = token.get(api_settings.USER_ID_CLAIM)
    if user_id is None:
        return None
    user = get_user_model()._default_manager.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    if user is None or not user.is_active or not user.accepts_token(token):
        return None
    return user


class JwtAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode())
        raw_token = (query.get("token") or [""])[0]
        scope = dict(scope)
        scope["token_offered"] = bool(raw_token)
        user = await database_sync_to_async(user_for_access_token)(raw_token) if raw_token else None
        scope["user"] = user or AnonymousUser()
        scope["session_id"] = session_of_access_token(raw_token) if user else None
        return await self.inner(scope, receive, send)
