"""Refresh tokens: issue, rotate, end — one chain of rotated tokens per session.

Every refresh token carries its session's id (`sid`: the jti of the session's first token). A
rotation blacklists the presented token and issues the next one of the same session, so a session
has one live refresh token at a time. A blacklisted token presented again is either a race between
the tabs of one browser (they share one cookie: within `grace` seconds of its rotation the caller
gets an access token of the session, whose current refresh token the browser already holds) or the
replay of a leaked token: then the whole session ends (reuse detection, OAuth 2.0 Security BCP).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.exceptions import RefreshTokenInvalid
from accounts.models import SESSION_CLAIM, User
from accounts.services.audit import audit_record
from accounts.session_ends import SESSION_ID_CLAIM, session_end
from agent_platform import realtime


class _PresentedRefreshToken(RefreshToken):
    """Signature, expiry and type checked, not the blacklist: rotation and logout read it
    themselves, to tell a race or a replay from a first use."""

    def verify(self) -> None:
        Token.verify(self)


def _read(raw: str) -> RefreshToken:
    try:
        return _PresentedRefreshToken(raw)
    except TokenError:
        raise RefreshTokenInvalid() from None


def _session_id(token: RefreshToken | dict) -> str:
    return token.get(SESSION_ID_CLAIM) or token[api_settings.JTI_CLAIM]  # tokens from before sessions had ids


def tokens_for(user: User, *, session_id: str | None = None) -> RefreshToken:
    """The next refresh token of a session (a new session without `session_id`); its `.access_token`
    carries the same session generation and id."""
    token = RefreshToken.for_user(user)
    token[SESSION_CLAIM] = user.session_generation
    token[SESSION_ID_CLAIM] = session_id or token[api_settings.JTI_CLAIM]
    # simplejwt stored the token before these claims: store the one handed out, the session is read from it.
    OutstandingToken.objects.filter(jti=token[api_settings.JTI_CLAIM]).update(token=str(token))
    return token


def _live_tokens(token: RefreshToken) -> list[OutstandingToken]:
    """The refresh tokens of `token`'s session not blacklisted yet, oldest first (one, unless
    mid-rotation). Only those issued since `token` are read: a user's other sessions may be many."""
    session_id = _session_id(token)
    live = OutstandingToken.objects.filter(
        user_id=token.get(api_settings.USER_ID_CLAIM),
        created_at__gte=datetime_from_epoch(token["iat"]) - timedelta(seconds=1),
        expires_at__gt=timezone.now(),
        blacklistedtoken__isnull=True,
    ).order_by("created_at", "id")
    return [row for row in live if _session_id(token_backend.decode(row.token, verify=False)) == session_id]


def _blacklist(rows: list[OutstandingToken]) -> None:
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=row) for row in rows], ignore_conflicts=True)


def refresh_tokens_revoke(*, user: User) -> int:
    """Blacklist every outstanding refresh token of `user` (after a password change or reset)."""
    outstanding = list(
        OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
    )
    _blacklist(outstanding)
    return len(outstanding)


def auth_refresh(*, refresh: str, grace: int = 0) -> tuple[RefreshToken, bool]:
    """Rotate a refresh token: the presented one is blacklisted and the session's next one returned
    with True. Presented again within `grace` seconds of its rotation: the session's current token
    with False (the caller already holds it: a browser's cookie). Later, or with no grace: the whole
    session ends (reuse detection) and RefreshTokenInvalid is raised."""
    rotated = _rotate(refresh=refresh, grace=grace)
    if rotated is None:
        raise RefreshTokenInvalid()  # raised after the commit: the session stays ended
    return rotated


@transaction.atomic
def _rotate(*, refresh: str, grace: int) -> tuple[RefreshToken, bool] | None:
    token = _read(refresh)
    # The row lock orders concurrent uses of one token: the second sees the first's rotation.
    outstanding = OutstandingToken.objects.select_for_update().filter(jti=token[api_settings.JTI_CLAIM]).first()
    user = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True).first()
    if outstanding is None or user is None or not user.accepts_token(token):
        raise RefreshTokenInvalid()
    session_id = _session_id(token)
    blacklisted = BlacklistedToken.objects.filter(token=outstanding).first()
    if blacklisted is None:
        BlacklistedToken.objects.create(token=outstanding)
        return tokens_for(user, session_id=session_id), True
    live = _live_tokens(token)
    if not live:
        return None  # logged out or revoked: nothing left to protect
    if grace and blacklisted.blacklisted_at > timezone.now() - timedelta(seconds=grace):
        return _read(live[-1].token), False  # not re-checked against the blacklist: a rotation may be under way
    _blacklist(live)
    session_end(session_id)  # its access tokens too, and its open sockets
    realtime.session_ended(user.pk, session_id)
    audit_record(action="auth.refresh_reused", actor=user, target=user, metadata={"session": session_id})
    return None


@transaction.atomic
def auth_logout(*, refresh: str) -> None:
    """End the session the refresh token belongs to: it and the session's current token are
    blacklisted, and its access tokens refused from now on (accounts.session_ends)."""
    token = _read(refresh)
    user = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM)).first()
    presented = OutstandingToken.objects.filter(jti=token[api_settings.JTI_CLAIM]).first()
    if user is None or presented is None:
        raise RefreshTokenInvalid()
    _blacklist([presented, *_live_tokens(token)])
    session_end(_session_id(token))
    realtime.session_ended(user.pk, _session_id(token))
    audit_record(action="auth.logout", actor=user, target=user)
