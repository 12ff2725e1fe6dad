"""Where the current request comes from (the client's address and user agent), set once per
request by `RequestOriginMiddleware` and read where it matters — the audit log, the login lockout —
so that services need not be handed the request. Outside a request (tasks, shell) it is empty.

Also work to do once the answer has gone out (`after_response`): what must not lengthen the answer,
because its duration would tell the caller something (the mail of a password reset goes only to a
known address: sent during the request, it made the answer 15× slower for a known one)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


_NOWHERE = RequestOrigin()
_origin: ContextVar[RequestOrigin | None] = ContextVar("request_origin", default=None)
_after_response: ContextVar[list[Callable[[], None]] | None] = ContextVar("after_response", default=None)
logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, which brute-force limits and the audit log rely on.

    X-Forwarded-For is written by whoever sends the request, so only the entries appended by our
    own proxies count: with TRUSTED_PROXY_COUNT = N, the client is the N-th address from the right.
    With no trusted proxy (the default) the header is ignored and REMOTE_ADDR is the client."""
    proxies = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def origin_of(request: HttpRequest) -> RequestOrigin:
    return RequestOrigin(ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", "")[:300])


def current_origin() -> RequestOrigin:
    return _origin.get() or _NOWHERE


@contextmanager
def request_origin(origin: RequestOrigin) -> Iterator[None]:
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


def after_response(work: Callable[[], None]) -> None:
    """Run `work` once the current request's answer has been sent (at once outside a request).
    A failure is logged: the caller already has its answer."""
    pending = _after_response.get()
    if pending is None:
        work()
    else:
        pending.append(work)


@contextmanager
def collecting_after_response() -> Iterator[list[Callable[[], None]]]:
    """The request's `after_response` work, collected while the view runs (RequestOriginMiddleware)."""
    pending: list[Callable[[], None]] = []
    token = _after_response.set(pending)
    try:
        yield pending
    finally:
        _after_response.reset(token)


def run_after_response(pending: list[Callable[[], None]]) -> None:
    # The answer is out: the request's database connections go back (to the pool) first, as
    # request_finished would do only after this work (a slow mail relay must not hold them). Not
    # inside a transaction (a test's): closing would break it.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
    for work in pending:
        try:
            work()
        except Exception:
            logger.exception("work after the response failed")
