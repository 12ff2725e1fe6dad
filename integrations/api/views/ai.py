from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from agent_platform.api.schema import calls_upstream
from agent_platform.api.viewsets import WorkspaceModelViewSet, WorkspaceViewSet
from agent_platform.tenancy import Role
from integrations.ai import selectors, services
from integrations.api.serializers.ai import (
    AICredentialSerializer,
    AIModelOutput,
    ConnectionTestInput,
    ConnectionTestOutput,
)
from integrations.models import AIModelKind


@extend_schema(
    tags=["ai"],
    summary="The AI model registry: active models with prices and capabilities",
    parameters=[
        OpenApiParameter("provider", str, description="Only this provider's models"),
        OpenApiParameter("kind", str, enum=AIModelKind.values, description="chat: what an agent answers with"),
    ],
)
class AIModelListView(generics.ListAPIView):
    permission_classes = (IsAuthenticated,)
    serializer_class = AIModelOutput
    pagination_class = None

    def get_queryset(self):
        params = self.request.query_params
        return selectors.model_list(provider=params.get("provider") or None, kind=params.get("kind") or None)


@extend_schema_view(
    list=extend_schema(tags=["ai"], summary="The workspace's own AI provider keys (masked)"),
    retrieve=extend_schema(tags=["ai"], summary="One AI credential (the key masked)"),
    create=extend_schema(tags=["ai"], summary="Add a provider key (admin); the key is never returned"),
    update=extend_schema(tags=["ai"], summary="Replace an AI credential (admin)"),
    partial_update=extend_schema(tags=["ai"], summary="Change an AI credential (admin)"),
    destroy=extend_schema(tags=["ai"], summary="Delete an AI credential (admin)"),
)
class AICredentialViewSet(WorkspaceModelViewSet):
    serializer_class = AICredentialSerializer
    action_roles = {"create": Role.ADMIN, "update": Role.ADMIN, "partial_update": Role.ADMIN, "destroy": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.credential_list()


class AIConnectionTestViewSet(WorkspaceViewSet):
    action_roles = {"test": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.credential_list()

    @extend_schema(
        tags=["ai"],
        summary="Test a provider connection with a tiny generation (admin)",
        request=ConnectionTestInput,
        responses=ConnectionTestOutput,
    )
    @action(detail=False, methods=["post"], url_path="test")
    @calls_upstream(status=(502, 503))
    def test(self, request):
        params = self.validated(ConnectionTestInput, request.data)
        result = services.connection_test(workspace=self.workspace, **params)
        return Response(ConnectionTestOutput(result).data)
