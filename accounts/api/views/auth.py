"""Sign-up, log-in, tokens, email verification and password reset: anonymous endpoints."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from agent_platform.api.schema import ProblemSerializer
from agent_platform.api.viewsets import InputMixin

ACCEPTED = "If the address can receive mail, a message is on its way."


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


def tokens(refresh) -> dict:
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


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
        "429 `login_locked` with Retry-After after 5 failures for the account (or many from the address).",
        request=s.LoginInput,
        responses={
            200: s.LoginOutput,
            401: problem("invalid_credentials"),
            403: problem("email_not_verified"),
            429: problem("login_locked (with Retry-After)"),
        },
    )
    def post(self, request):
        data = self.validated(s.LoginInput, request.data)
        user, refresh = services.auth_login(**data)
        return Response({**tokens(refresh), "user": s.ProfileOutput(user).data})


class RefreshView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Exchange a refresh token for a new pair (the old one is blacklisted)",
        request=s.RefreshInput,
        responses={200: s.TokenPairOutput, 401: problem("token_not_valid: expired, revoked or already used")},
    )
    def post(self, request):
        data = self.validated(s.RefreshInput, request.data)
        return Response(tokens(services.auth_refresh(**data)))


class LogoutView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Log out: blacklist the refresh token",
        request=s.RefreshInput,
        responses={204: None, 401: problem("token_not_valid")},
    )
    def post(self, request):
        data = self.validated(s.RefreshInput, request.data)
        services.auth_logout(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
    @extend_schema(
        tags=["auth"],
        summary="Mail a new verification link (same answer for any address)",
        request=s.EmailInput,
        responses={202: s.DetailOutput},
    )
    def post(self, request):
        data = self.validated(s.EmailInput, request.data)
        services.email_verification_resend(**data)
        return Response({"detail": ACCEPTED}, status=202)
