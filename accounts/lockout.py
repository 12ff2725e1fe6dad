"""Brute-force protection for login: atomic Redis counters per account and per client IP.

Each failed login increments two counters (the account's, keyed by a hash of the lower-cased email
whether or not such a user exists, so a lockout reveals nothing, and the client IP's). A counter
lives for one window from its first failure; reaching its limit refuses further attempts until the
counter expires. Refused attempts do not count and never extend a lockout, so an attacker can keep
an account locked at most one window at a time, never forever; a successful password reset
clears the account's counter at once, and a successful login clears it too.

While Redis is out of reach the lockout does not fail open: it counts in PostgreSQL instead, from
the audit log every failed login writes anyway (`auth.login_failed`, with the address and the email),
since the account's last successful login or password reset — the same limits, windows and Retry-After.
Failures counted there are not carried back into Redis when it returns (an attacker gains at most one
window's budget per outage). Changing a password while signed in counts failures only in Redis.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from prometheus_client import Counter

from accounts.models import AuditLog, User

logger = logging.getLogger(__name__)
FALLBACKS = Counter("ap_login_lockout_fallback", "Login lockout checks answered by PostgreSQL: Redis was unreachable")


@dataclass(frozen=True)
class Lock:
    retry_after: int


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2)


def _redis() -> redis.Redis:
    return _client(settings.REDIS_URL)


def _account_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{settings.CACHES['default'].get('KEY_PREFIX', 'ap')}:login-fail:acct:{digest}"


def _ip_key(ip: str | None) -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', 'ap')}:login-fail:ip:{ip or 'unknown'}"


def _checks(email: str, ip: str | None) -> list[tuple[str, int]]:
    return [(_account_key(email), settings.LOGIN_FAILURE_LIMIT), (_ip_key(ip), settings.LOGIN_FAILURE_IP_LIMIT)]


def login_lock(*, email: str, ip: str | None) -> Lock | None:
    """The active lock on this account or address, if any."""
    try:
        with _redis().pipeline(transaction=False) as pipe:
            for key, _limit in _checks(email, ip):
                pipe.get(key)
                pipe.ttl(key)
            results = pipe.execute()
    except redis.RedisError:
        # Security does not fail open: the audit log in PostgreSQL has every failure too.
        logger.warning("login lockout counted in PostgreSQL: Redis unavailable", exc_info=True)
        FALLBACKS.inc()
        return _lock_from_audit_log(email=email, ip=ip)
    waits = [
        max(int(ttl), 1)
        for (_key, limit), count, ttl in zip(_checks(email, ip), results[::2], results[1::2], strict=True)
        if count is not None and int(count) >= limit
    ]
    return Lock(retry_after=max(waits)) if waits else None


def _lock_from_audit_log(*, email: str, ip: str | None) -> Lock | None:
    """The lock the Redis counters would hold, counted from `auth.login_failed` audit rows."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    failures = AuditLog.objects.unscoped_across_workspaces().filter(
        action="auth.login_failed", created_at__gt=now - window
    )
    user = User.objects.filter(email__iexact=email).first()
    cleared = (
        AuditLog.objects.unscoped_across_workspaces()
        .filter(action__in=["auth.login", "auth.password_reset"], target_type="accounts.user", target_id=str(user.pk))
        .aggregate(last=Max("created_at"))["last"]
        if user is not None
        else None
    )
    account = failures.filter(metadata__email=email.strip().lower())
    if cleared is not None:
        account = account.filter(created_at__gt=cleared)
    checks = [(account, settings.LOGIN_FAILURE_LIMIT)]
    if ip is not None:
        checks.append((failures.filter(ip_address=ip), settings.LOGIN_FAILURE_IP_LIMIT))
    waits = []
    for rows, limit in checks:
        times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:  # locked until the limit-th latest failure leaves the window
            waits.append(max(int((times[-1] + window - now).total_seconds()) + 1, 1))
    return Lock(retry_after=max(waits)) if waits else None


def login_failed(*, email: str, ip: str | None) -> None:
    """Count a failed login against the account and the address, in one transaction: the first failure
    of a window creates the counter with the window's expiry (SET … NX EX), INCR keeps that expiry.
    (Not EXPIRE … NX: that needs Redis 7, and the embedded Redis of `make run` is 6.2.)"""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    try:
        with _redis().pipeline(transaction=True) as pipe:
            for key, _limit in _checks(email, ip):
                pipe.set(key, 0, ex=window, nx=True)
                pipe.incr(key)
            pipe.execute()
    except redis.RedisError:
        logger.warning("login failure not counted: Redis unavailable", exc_info=True)


def login_clear(*, email: str) -> None:
    """Forget the account's failures (successful login or password reset); the IP's stay counted."""
    try:
        _redis().delete(_account_key(email))
    except redis.RedisError:
        logger.warning("login failures not cleared: Redis unavailable", exc_info=True)
