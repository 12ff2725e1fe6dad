"""The current user: profile, avatar, settings, password."""

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from accounts.api.session_cookie import origin_check
from accounts.api.views.auth import tokens_response
from agent_platform.api.viewsets import InputMixin


class ProfileView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["user"], summary="My profile", responses={200: s.ProfileOutput})
    def get(self, request):
        return Response(s.ProfileOutput(request.user).data)

    @extend_schema(
        tags=["user"],
        summary="Change my name, language or time zone",
        request=s.ProfileInput,
        responses={200: s.ProfileOutput},
    )
    def patch(self, request):
        data = self.validated(s.ProfileInput, request.data, partial=True)
        user = services.user_profile_update(user=request.user, **data)
        return Response(s.ProfileOutput(user).data)


class AvatarView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["user"],
        summary="Upload my avatar (PNG, JPEG, GIF or WebP; stored as a square thumbnail)",
        request={"multipart/form-data": s.AvatarInput},
        responses={200: s.ProfileOutput},
    )
    def post(self, request):
        data = self.validated(s.AvatarInput, request.data)
        user = services.user_avatar_set(user=request.user, upload=data["avatar"])
        return Response(s.ProfileOutput(user).data)


class SettingsView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["user"],
        summary="My settings: theme and notification channels per kind",
        responses={200: s.SettingsOutput},
    )
    def get(self, request):
        return Response(s.SettingsOutput(request.user).data)

    @extend_schema(
        tags=["user"],
        summary="Change my theme or notification channels (merged per kind)",
        request=s.SettingsInput,
        responses={200: s.SettingsOutput},
    )
    def patch(self, request):
        data = self.validated(s.SettingsInput, request.data, partial=True)
        user = services.user_settings_update(user=request.user, **data)
        return Response(s.SettingsOutput(user).data)


class PasswordChangeView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["user"],
        summary="Change my password; other sessions are logged out and this one gets new tokens",
        description="With `refresh_cookie` (the SPA) the new refresh token is set as the session cookie.",
        request=s.PasswordChangeInput,
        responses={200: s.IssuedTokensOutput},
    )
    def post(self, request):
        data = self.validated(s.PasswordChangeInput, request.data)
        cookie = data.pop("refresh_cookie")
        if cookie:
            origin_check(request)
        refresh = services.password_change(user=request.user, **data)
        return tokens_response(refresh, cookie=cookie)
