"""Accounts API: auth, the current user, workspaces and team, notifications, audit log.

Views parse, call one service or selector, and serialize. Errors are domain errors rendered as
RFC 9457 problems by the shared handler.
"""

from functools import cached_property

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.api.filters import AuditLogFilter, NotificationFilter
from agent_platform.api.pagination import CreatedCursorPagination
from agent_platform.api.schema import ProblemSerializer
from agent_platform.api.viewsets import InputMixin, WorkspaceViewSet
from agent_platform.tenancy import Role

ACCEPTED = "If the address can receive mail, a message is on its way."


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


def _tokens(refresh) -> dict:
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class PublicView(InputMixin, APIView):
    """Anonymous endpoints: no authentication, so a stale access token never gets in the way."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


# --- auth ----------------------------------------------------------------------------------------


class RegisterView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Sign up (creates the user and their first workspace, mails a verification link)",
        description="Answers the same whether the address is new or already registered.",
        request=s.RegisterInput,
        responses={202: s.DetailOutput, 400: _problem("password_invalid or validation_error")},
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
            401: _problem("invalid_credentials"),
            403: _problem("email_not_verified"),
            429: _problem("login_locked (with Retry-After)"),
        },
    )
    def post(self, request):
        data = self.validated(s.LoginInput, request.data)
        user, refresh = services.auth_login(**data)
        return Response({**_tokens(refresh), "user": s.ProfileOutput(user).data})


class RefreshView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Exchange a refresh token for a new pair (the old one is blacklisted)",
        request=s.RefreshInput,
        responses={200: s.TokenPairOutput, 401: _problem("token_not_valid: expired, revoked or already used")},
    )
    def post(self, request):
        data = self.validated(s.RefreshInput, request.data)
        return Response(_tokens(services.auth_refresh(**data)))


class LogoutView(PublicView):
    @extend_schema(
        tags=["auth"],
        summary="Log out: blacklist the refresh token",
        request=s.RefreshInput,
        responses={204: None, 401: _problem("token_not_valid")},
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
        responses={204: None, 400: _problem("token_invalid, password_invalid or validation_error")},
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


# --- the current user ----------------------------------------------------------------------------


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
        request=s.PasswordChangeInput,
        responses={200: s.TokenPairOutput},
    )
    def post(self, request):
        data = self.validated(s.PasswordChangeInput, request.data)
        refresh = services.password_change(user=request.user, **data)
        return Response(_tokens(refresh))


# --- workspaces and team -------------------------------------------------------------------------


class WorkspaceListView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["workspaces"],
        summary="The workspaces I belong to, with my role in each",
        responses={200: s.WorkspaceMembershipOutput(many=True)},
    )
    def get(self, request):
        memberships = selectors.workspace_list_for_user(user=request.user)
        return Response(s.WorkspaceMembershipOutput(memberships, many=True).data)

    @extend_schema(
        tags=["workspaces"],
        summary="Create another workspace (I become its owner)",
        request=s.WorkspaceCreateInput,
        responses={201: s.WorkspaceMembershipOutput},
    )
    def post(self, request):
        data = self.validated(s.WorkspaceCreateInput, request.data)
        workspace = services.workspace_create(owner=request.user, **data)
        membership = selectors.membership_resolve(user=request.user, requested=workspace.pk)
        return Response(s.WorkspaceMembershipOutput(membership).data, status=201)


class TeamViewSet(WorkspaceViewSet):
    """Team endpoints under `/api/workspaces/<id>/…`: the workspace comes from the URL (membership
    checked by the same resolver: a non-member gets 404), roles from `action_roles`."""

    pagination_class = None
    filter_backends: list = []

    @cached_property
    def membership(self):
        return selectors.membership_resolve(user=self.request.user, requested=self.kwargs.get("workspace_id"))


@extend_schema_view(
    list=extend_schema(summary="Members of the workspace", responses={200: s.MemberOutput(many=True)}),
    partial_update=extend_schema(
        summary="Change a member's role (owners)", request=s.MemberRoleInput, responses={200: s.MemberOutput}
    ),
    destroy=extend_schema(summary="Remove a member (owners); the last owner cannot be removed", responses={204: None}),
)
@extend_schema(tags=["workspaces"])
class MemberViewSet(mixins.ListModelMixin, TeamViewSet):
    serializer_class = s.MemberOutput
    action_roles = {"list": Role.MEMBER, "partial_update": Role.OWNER, "destroy": Role.OWNER, "leave": Role.MEMBER}

    def scoped_queryset(self):
        return selectors.membership_list(workspace=self.workspace)

    def partial_update(self, request, **kwargs):
        data = self.validated(s.MemberRoleInput, request.data)
        membership = services.membership_role_change(
            membership=self.get_object(), role=Role(data["role"]), actor=request.user
        )
        return Response(s.MemberOutput(membership).data)

    def destroy(self, request, **kwargs):
        services.membership_remove(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Leave the workspace; the last owner cannot leave", request=None, responses={204: None})
    def leave(self, request, **kwargs):
        services.membership_remove(membership=self.membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Pending invitations (owners)", responses={200: s.InvitationOutput(many=True)}),
    create=extend_schema(
        summary="Invite someone by email (owners); the link expires",
        request=s.InvitationInput,
        responses={201: s.InvitationOutput},
    ),
    destroy=extend_schema(summary="Revoke an invitation (owners)", responses={204: None}),
)
@extend_schema(tags=["workspaces"])
class InvitationViewSet(mixins.ListModelMixin, TeamViewSet):
    serializer_class = s.InvitationOutput
    action_roles = {"list": Role.OWNER, "create": Role.OWNER, "destroy": Role.OWNER}

    def scoped_queryset(self):
        return selectors.invitation_list()

    def create(self, request, **kwargs):
        data = self.validated(s.InvitationInput, request.data)
        invitation = services.invitation_create(workspace=self.workspace, invited_by=request.user, **data)
        return Response(s.InvitationOutput(invitation).data, status=201)

    def destroy(self, request, **kwargs):
        services.invitation_revoke(invitation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="The workspace's API keys (admins)", responses={200: s.ApiKeyOutput(many=True)}),
    create=extend_schema(
        summary="Issue an API key (admins); the key is in this response only",
        request=s.ApiKeyInput,
        responses={201: s.ApiKeyIssuedOutput},
    ),
    destroy=extend_schema(summary="Revoke an API key (admins); it stops working at once", responses={204: None}),
)
@extend_schema(tags=["workspaces"])
class ApiKeyViewSet(mixins.ListModelMixin, TeamViewSet):
    serializer_class = s.ApiKeyOutput
    action_roles = {"list": Role.ADMIN, "create": Role.ADMIN, "destroy": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.api_key_list()

    def create(self, request, **kwargs):
        data = self.validated(s.ApiKeyInput, request.data)
        key, plaintext = services.api_key_issue(
            workspace=self.workspace,
            name=data["name"],
            scopes=sorted(data["scopes"]),
            actor=request.user,
        )
        key.key = plaintext
        return Response(s.ApiKeyIssuedOutput(key).data, status=201)

    def destroy(self, request, **kwargs):
        services.api_key_revoke(key=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(InputMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["workspaces"],
        summary="Accept an invitation sent to my email address",
        request=s.TokenInput,
        responses={200: s.WorkspaceMembershipOutput},
    )
    def post(self, request):
        data = self.validated(s.TokenInput, request.data)
        membership = services.invitation_accept(user=request.user, **data)
        return Response(s.WorkspaceMembershipOutput(membership).data)


# --- notifications and audit log ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My notifications in the workspace (`?unread=true` for unread only)"),
    destroy=extend_schema(summary="Delete a notification", responses={204: None}),
)
@extend_schema(tags=["notifications"])
class NotificationViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    serializer_class = s.NotificationOutput
    filterset_class = NotificationFilter
    pagination_class = CreatedCursorPagination
    action_roles = {"read": Role.MEMBER, "read_all": Role.MEMBER, "destroy": Role.MEMBER}

    def scoped_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(summary="Mark a notification read", request=None, responses={200: s.NotificationOutput})
    def read(self, request, **kwargs):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(s.NotificationOutput(notification).data)

    @extend_schema(summary="Mark all my notifications read", request=None, responses={200: s.MarkedReadOutput})
    def read_all(self, request, **kwargs):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})

    def destroy(self, request, **kwargs):
        services.notification_delete(notification=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(summary="The workspace's audit log (admins)"))
@extend_schema(tags=["audit"])
class AuditLogViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    serializer_class = s.AuditLogOutput
    filterset_class = AuditLogFilter
    pagination_class = CreatedCursorPagination
    action_roles = {"list": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.audit_log_list()
