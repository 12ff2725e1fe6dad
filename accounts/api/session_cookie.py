"""The SPA's refresh token as an HttpOnly cookie, and the Origin check of the calls that use it.

The cookie is sent only to /api/auth/session/… (refresh and logout) and only from this site's pages
(SameSite). Every call that sets or reads it must also come from a trusted origin — PUBLIC_URL,
CSRF_TRUSTED_ORIGINS or the request's own host — as a second line against CSRF.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.exceptions import OriginNotAllowed

COOKIE_NAME = "ap_refresh"
COOKIE_PATH = "/api/auth/session"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _trusted(origin: str, request) -> bool:
    if origin in (_origin(settings.PUBLIC_URL), f"{request.scheme}://{request.get_host()}".lower()):
        return True
    scheme, _, host = origin.partition("://")
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        trusted = trusted.lower()
        if trusted == origin:
            return True
        # Django's wildcard form, https://*.example.com
        trusted_scheme, _, trusted_host = trusted.partition("://")
        if trusted_host.startswith("*.") and trusted_scheme == scheme and is_same_domain(host, trusted_host[1:]):
            return True
    return False


def origin_check(request) -> None:
    """Raise OriginNotAllowed unless the request's Origin is this deployment's (browsers send one with
    every POST; a call without it is not from the SPA)."""
    origin = request.headers.get("Origin", "").lower()
    if not origin or origin == "null" or not _trusted(origin, request):
        raise OriginNotAllowed(f"Origin {origin or '(none)'} is not allowed to use the session cookie.")


def cookie_refresh_token(request) -> str:
    return request.COOKIES.get(COOKIE_NAME, "")


def cookie_set(response, refresh) -> None:
    response.set_cookie(
        COOKIE_NAME,
        str(refresh),
        max_age=int(jwt_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        path=COOKIE_PATH,
        secure=settings.REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.REFRESH_COOKIE_SAMESITE,
    )


def cookie_clear(response) -> None:
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite=settings.REFRESH_COOKIE_SAMESITE)
