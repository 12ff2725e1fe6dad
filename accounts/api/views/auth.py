"""Sign-up, log-in, tokens, email verification and password reset: anonymous endpoints.

Two ways to hold the refresh token. API clients get it in the JSON body and send it back to
/api/auth/refresh and /api/auth/logout. The SPA asks for `refresh_cookie`: the token is then an
HttpOnly cookie (never in a response body) used by /api/auth/session/refresh and …/logout only,
which check the Origin (session_cookie.py). The two never mix: the body endpoints ignore the
cookie and the session endpoints take no token in the body.
"""

from contextlib import suppress

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from accounts.api.session_cookie import cookie_clear, cookie_refresh_token, cookie_set, origin_check
from accounts.exceptions import RefreshTokenInvalid
from agent_platform.api.schema import ProblemSerializer
from agent_platform.api.viewsets import InputMixin

ACCEPTED = "If the address can receive mail, a message is on its way."


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


def tokens(refresh) -> dict:
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def tokens_response(refresh, *, cookie: bool, **extra) -> Response:
    """The new tokens: both in the body, or (`cookie`) the access token in the body and the refresh
    token in the session cookie. The caller has checked the Origin for a cookie."""
    if not cookie:
        return Response({**tokens(refresh), **extra})
    response = Response({"access": str(refresh.access_token), **extra})
    cookie_set(response, refresh)
    return response


class PublicView(InputMixin, APIView):
    """Anonymous endpoints: no authentication, so a stale access token never gets in the way."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class RegisterView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Sign up (creates the user and their first workspace, mails a verification link)",
        description="Answers the same whether the address is new or already registered.",
        request=s.RegisterInput,
        responses={202: s.DetailOutput, 400: problem("password_invalid or validation_error")},
    )
    def post(self, request):
        data = self.validated(s.RegisterInput, request.data)
        services.user_register(**data)
        return Response({"detail": "Check your inbox to confirm your email address."}, status=202)


class LoginView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Log in with email and password; returns an access and a refresh token",
        description="401 `invalid_credentials` for a wrong email or password alike; 403 `email_not_verified`; "
        "429 `login_locked` with Retry-After after 5 failures for the account (or many from the address). "
        "With `refresh_cookie` (the SPA) the refresh token is set as an HttpOnly cookie instead of returned, "
        "and the Origin must be the platform's (403 `origin_not_allowed`).",
        request=s.LoginInput,
        responses={
            200: s.LoginOutput,
            401: problem("invalid_credentials"),
            403: problem("email_not_verified or origin_not_allowed"),
            429: problem("login_locked (with Retry-After)"),
        },
    )
    def post(self, request):
        data = self.validated(s.LoginInput, request.data)
        cookie = data.pop("refresh_cookie")
        if cookie:
            origin_check(request)  # no login CSRF: a foreign page cannot sign the browser in
        user, refresh = services.auth_login(**data)
        return tokens_response(refresh, cookie=cookie, user=s.ProfileOutput(user).data)


class RefreshView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Exchange a refresh token for a new pair (the old one is blacklisted)",
        description="A token used a second time ends its whole session (reuse detection): 401.",
        request=s.RefreshInput,
        responses={200: s.TokenPairOutput, 401: problem("token_not_valid: expired, revoked or already used")},
    )
    def post(self, request):
        data = self.validated(s.RefreshInput, request.data)
        refresh, _rotated = services.auth_refresh(**data)
        return Response(tokens(refresh))


class LogoutView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Log out: end the refresh token's session",
        request=s.RefreshInput,
        responses={204: None, 401: problem("token_not_valid")},
    )
    def post(self, request):
        data = self.validated(s.RefreshInput, request.data)
        services.auth_logout(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionRefreshView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="The SPA's refresh: a new access token from the session cookie (rotated)",
        description="The cookie is rotated; a call with the token another tab has just rotated (within "
        "REFRESH_REUSE_GRACE_SECONDS) gets an access token and leaves the cookie as it is. An older token "
        "ends the session. 403 `origin_not_allowed` from another site's page.",
        request=None,
        responses={
            200: s.AccessOutput,
            401: problem("token_not_valid: no cookie, expired, revoked or reused"),
            403: problem("origin_not_allowed"),
        },
    )
    def post(self, request):
        origin_check(request)
        refresh = cookie_refresh_token(request)
        if not refresh:
            raise RefreshTokenInvalid("No session: log in.")
        token, rotated = services.auth_refresh(refresh=refresh, grace=settings.REFRESH_REUSE_GRACE_SECONDS)
        response = Response({"access": str(token.access_token)})
        if rotated:
            cookie_set(response, token)
        return response


class SessionLogoutView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="The SPA's logout: end the session cookie's session and clear the cookie",
        description="Answers 204 also when the cookie is missing or no longer valid.",
        request=None,
        responses={204: None, 403: problem("origin_not_allowed")},
    )
    def post(self, request):
        origin_check(request)
        if refresh := cookie_refresh_token(request):
            with suppress(RefreshTokenInvalid):  # already over; the cookie goes all the same
                services.auth_logout(refresh=refresh)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        cookie_clear(response)
        return response


class ForgotPasswordView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Mail a single-use password-reset link (same answer for unknown addresses)",
        request=s.EmailInput,
        responses={202: s.DetailOutput},
    )
    def post(self, request):
        data = self.validated(s.EmailInput, request.data)
        services.password_forgot(**data)
        return Response({"detail": ACCEPTED}, status=202)


class ResetPasswordView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Set a new password with a reset link's token; revokes every refresh token",
        request=s.ResetPasswordInput,
        responses={204: None, 400: problem("token_invalid, password_invalid or validation_error")},
    )
    def post(self, request):
        data = self.validated(s.ResetPasswordInput, request.data)
        services.password_reset(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyEmailView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Confirm the email address with the link's token",
        request=s.TokenInput,
        responses={204: None},
    )
    def post(self, request):
        data = self.validated(s.TokenInput, request.data)
        services.email_verify(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyEmailResendView(PublicView):
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]  # each one sends an email: a budget per client address
    throttle_scope = "auth_email"

    @extend_schema(
        tags=["auth"],
        summary="Mail a new verification link (same answer for any address)",
        request=s.EmailInput,
        responses={202: s.DetailOutput, 429: problem("throttled (with Retry-After)")},
    )
    def post(self, request):
        data = self.validated(s.EmailInput, request.data)
        services.email_verification_resend(**data)
        return Response({"detail": ACCEPTED}, status=202)
