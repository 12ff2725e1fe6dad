"""`Authorization: Api-Key apk_…` for the workspace endpoints that accept keys (see
`agent_platform.api.keys`)."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts import services
from accounts.exceptions import ApiKeyInvalid
from agent_platform.api.keys import API_KEY_HEADER_PREFIX, ApiKeyPrincipal


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        scheme, _, presented = get_authorization_header(request).decode("latin-1").partition(" ")
        if scheme.lower() != API_KEY_HEADER_PREFIX.lower():
            return None  # not ours: the JWT authenticator may take it
        try:
            key = services.api_key_authenticate(presented=presented)
        except ApiKeyInvalid as exc:
            # DRF's own failure type, so the request is marked unauthenticated and gets WWW-Authenticate.
            raise AuthenticationFailed(exc.detail, code=exc.code) from None
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request) -> str:
        return API_KEY_HEADER_PREFIX
