from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts import selectors
from accounts.api.serializers import WorkspaceMembershipOutput


@extend_schema(tags=["auth"], summary="Log in with email and password; returns an access and a refresh token")
class LoginView(TokenObtainPairView):
    pass


@extend_schema(tags=["auth"], summary="Exchange a refresh token for a new pair (the old one is blacklisted)")
class RefreshView(TokenRefreshView):
    pass


@extend_schema(tags=["workspaces"], summary="The workspaces I belong to, with my role in each")
class WorkspaceListView(generics.ListAPIView):
    serializer_class = WorkspaceMembershipOutput
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.workspace_list_for_user(user=self.request.user)
