"""JWT authentication that also honours a user's session revocation (`User.accepts_token`): an access
token issued before the password last changed, or of a session that was logged out, is refused, not
left valid until it expires."""

from __future__ import annotations

from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication

SESSION_ENDED = "This session has ended (logged out, or the password was changed). Log in again."


class JWTAuthentication(SimpleJWTAuthentication):
    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not user.accepts_token(validated_token):
            raise AuthenticationFailed(SESSION_ENDED, code="session_ended")
        return user
