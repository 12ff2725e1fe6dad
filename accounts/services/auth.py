"""Registration, login, email verification and password reset/change (refresh tokens: sessions.py).

No enumeration: register, login and forgot-password answer the same way whether the email exists
or not, and do the same expensive work (one password hash) on both paths.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import lockout
from accounts.emails import email_render, email_send_after_response, public_link
from accounts.exceptions import (
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    LoginLocked,
    PasswordIncorrect,
    PasswordInvalid,
    TokenInvalid,
)
from accounts.models import User, UserToken
from accounts.services.audit import audit_record
from accounts.services.sessions import refresh_tokens_revoke, tokens_for
from accounts.services.workspaces import user_create, workspace_create
from agent_platform import realtime
from agent_platform.crypto import secret_digest
from agent_platform.request_context import current_origin


def _normalize(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def password_check_strength(*, password: str, user: User) -> None:
    """Django's validators (length ≥ 10, common list, not like the email/name); raises PasswordInvalid."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise PasswordInvalid(exc.messages[0], errors={"password": list(exc.messages)}) from None


def _token_issue(*, user: User, purpose: str, lifetime: int) -> str:
    """A new single-use secret for `user`; it replaces the user's unused ones of the same purpose."""
    secret = secrets.token_urlsafe(32)
    UserToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).delete()
    UserToken.objects.create(
        user=user,
        purpose=purpose,
        token_hash=secret_digest(secret),
        expires_at=timezone.now() + timedelta(seconds=lifetime),
    )
    return secret


def _token_claim(*, secret: str, purpose: str) -> User:
    """Use a token once: one UPDATE claims it, so two concurrent uses cannot both succeed."""
    now = timezone.now()
    token_hash = secret_digest(secret)
    claimed = UserToken.objects.filter(
        token_hash=token_hash, purpose=purpose, used_at__isnull=True, expires_at__gt=now, user__is_active=True
    ).update(used_at=now)
    if not claimed:
        raise TokenInvalid()
    return UserToken.objects.select_related("user").get(token_hash=token_hash).user


def _verification_send(user: User) -> None:
    secret = _token_issue(
        user=user, purpose=UserToken.Purpose.VERIFY_EMAIL, lifetime=settings.EMAIL_VERIFICATION_TIMEOUT
    )
    context = {
        "name": user.name,
        "link": public_link(f"/verify-email?token={secret}"),
        "hours": settings.EMAIL_VERIFICATION_TIMEOUT // 3600,
    }
    transaction.on_commit(
        lambda: email_send_after_response(
            to=user.email, template="verify_email", language=user.language, context=context
        )
    )


def _sessions_end(user: User, *, also_saved: list[str]) -> None:
    """A password changed: every session issued so far ends — refresh tokens blacklisted, older
    access tokens refused (session generation), open websockets closed after the commit."""
    user.sessions_revoke()
    user.save(update_fields=[*also_saved, "session_generation"])
    refresh_tokens_revoke(user=user)
    realtime.sessions_revoked(user.pk, user.session_generation)


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    name: str = "",
    language: str = "en",
    time_zone: str = "UTC",
    workspace_name: str = "",
) -> None:
    """Sign up: a user, their first workspace and a verification email. An address that already has
    an account gets an email saying so (or a fresh verification link) and the caller the same answer."""
    email = _normalize(email)
    password_check_strength(password=password, user=User(email=email, name=name))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            user = user_create(email=email, password=password, name=name, language=language, time_zone=time_zone)
        except EmailTaken:  # a concurrent sign-up with the same address won the race
            existing = User.objects.get(email__iexact=email)
    if existing is not None:
        make_password(password)  # the same hashing cost as creating the account
        if existing.email_verified_at is None:
            _verification_send(existing)
        else:
            context = {"name": existing.name}
            transaction.on_commit(
                lambda: email_send_after_response(
                    to=existing.email, template="account_exists", language=existing.language, context=context
                )
            )
        audit_record(action="auth.register_existing", actor=None, target=existing)
        return
    workspace_create(
        name=workspace_name or f"{name or email.split('@')[0]}'s workspace", owner=user, time_zone=time_zone
    )
    _verification_send(user)
    audit_record(action="auth.registered", actor=user, target=user)


def auth_login(*, email: str, password: str) -> tuple[User, RefreshToken]:
    """Check the credentials under the brute-force lockout; returns the user and a new refresh token."""
    email, ip = _normalize(email), current_origin().ip_address
    if lock := lockout.login_lock(email=email, ip=ip):
        audit_record(action="auth.login_locked", metadata={"email": email})
        raise LoginLocked(
            f"Too many failed attempts. Try again in {lock.retry_after} seconds, or reset your password.",
            retry_after=lock.retry_after,
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make_password(password)  # as slow as checking a real password: timing reveals nothing
    if user is None or not user.check_password(password) or not user.is_active:
        lockout.login_failed(email=email, ip=ip)
        audit_record(action="auth.login_failed", metadata={"email": email})
        raise InvalidCredentials("Invalid email or password.")
    if user.email_verified_at is None:
        raise EmailNotVerified("Open the link in the email we sent you, or ask for a new one.")
    lockout.login_clear(email=email)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    audit_record(action="auth.login", actor=user, target=user)
    return user, tokens_for(user)


@transaction.atomic
def email_verify(*, token: str) -> User:
    user = _token_claim(secret=token, purpose=UserToken.Purpose.VERIFY_EMAIL)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    audit_record(action="auth.email_verified", actor=user, target=user)
    return user


@transaction.atomic
def email_verification_resend(*, email: str) -> None:
    """A new verification link for an unverified account; silently nothing for any other address."""
    user = User.objects.filter(email__iexact=_normalize(email), is_active=True, email_verified_at__isnull=True).first()
    if user is not None:
        _verification_send(user)


@transaction.atomic
def password_forgot(*, email: str) -> None:
    """Mail a single-use reset link (valid PASSWORD_RESET_TIMEOUT seconds) if the account exists."""
    email = _normalize(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    secret = secrets.token_urlsafe(32)
    context = {
        "name": user.name if user else "",
        "link": public_link(f"/reset-password?token={secret}"),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    if user is None:
        email_render(template="reset_password", language="en", context=context)  # the same work, not sent
        audit_record(action="auth.password_reset_requested", metadata={"email": email, "known": False})
        return
    UserToken.objects.filter(user=user, purpose=UserToken.Purpose.RESET_PASSWORD, used_at__isnull=True).delete()
    UserToken.objects.create(
        user=user,
        purpose=UserToken.Purpose.RESET_PASSWORD,
        token_hash=secret_digest(secret),
        expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )
    transaction.on_commit(
        lambda: email_send_after_response(
            to=user.email, template="reset_password", language=user.language, context=context
        )
    )
    audit_record(action="auth.password_reset_requested", actor=user, target=user)


@transaction.atomic
def password_reset(*, token: str, password: str) -> User:
    """Set a new password with a reset link: the link is used up, every session of the user ends
    (refresh tokens revoked, access tokens refused), and their login lockout is cleared. The link
    also proves the email address."""
    user = _token_claim(secret=token, purpose=UserToken.Purpose.RESET_PASSWORD)
    password_check_strength(password=password, user=user)  # raising rolls the claim back
    user.set_password(password)
    user.email_verified_at = user.email_verified_at or timezone.now()
    _sessions_end(user, also_saved=["password", "email_verified_at"])
    transaction.on_commit(lambda: lockout.login_clear(email=user.email))
    audit_record(action="auth.password_reset", actor=user, target=user)
    return user


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> RefreshToken:
    """Change the password (the current one is required and counted by the lockout); every other
    session ends (its refresh token is revoked, its access token refused from now on) and a fresh
    token pair is returned for this session."""
    ip = current_origin().ip_address
    if lock := lockout.login_lock(email=user.email, ip=ip):
        raise LoginLocked(
            f"Too many failed attempts. Try again in {lock.retry_after} seconds.", retry_after=lock.retry_after
        )
    if not user.check_password(current_password):
        lockout.login_failed(email=user.email, ip=ip)
        raise PasswordIncorrect()
    password_check_strength(password=new_password, user=user)
    user.set_password(new_password)
    _sessions_end(user, also_saved=["password"])
    audit_record(action="auth.password_changed", actor=user, target=user)
    return tokens_for(user)
