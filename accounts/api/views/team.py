"""Workspaces and their team: members, invitations, API keys."""

from functools import cached_property

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers as s
from agent_platform.api.viewsets import InputMixin, WorkspaceViewSet
from agent_platform.tenancy import Role


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


@extend_schema(tags=["workspaces"])
class WorkspaceDetailViewSet(TeamViewSet):
    action_roles = {"partial_update": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.membership_list(workspace=self.workspace)

    @extend_schema(
        summary="Rename the workspace or change its time zone (admins)",
        request=s.WorkspaceUpdateInput,
        responses={200: s.WorkspaceMembershipOutput},
    )
    def partial_update(self, request, **kwargs):
        data = self.validated(s.WorkspaceUpdateInput, request.data)
        services.workspace_update(workspace=self.workspace, actor=request.user, **data)
        return Response(s.WorkspaceMembershipOutput(self.membership).data)


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
