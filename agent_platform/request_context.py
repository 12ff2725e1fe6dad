"""Where the current request comes from (the client's address and user agent), set once per
request by `RequestOriginMiddleware` and read where it matters — the audit log, the login lockout —
so that services need not be handed the request. Outside a request (tasks, shell) it is empty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


_NOWHERE = RequestOrigin()
_origin: ContextVar[RequestOrigin | None] = ContextVar("request_origin", default=None)


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
