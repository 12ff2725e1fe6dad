"""The Kommo integration of the workspace: connect (OAuth popup or a long-lived token), status, sync,
repair, settings, disconnect, and the synced pipelines, fields and users the agent editor picks from."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from agent_platform.api.schema import calls_upstream
from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role
from integrations.api.serializers import kommo as s
from integrations.kommo import selectors, services
from integrations.kommo.exceptions import KommoNotConnected
from integrations.kommo.models import KommoIntegration

ADMIN_ACTIONS = ("connect", "sync", "repair", "update_settings", "disconnect")


class KommoViewSet(WorkspaceViewSet):
    action_roles = dict.fromkeys(ADMIN_ACTIONS, Role.ADMIN)
    pagination_class = None  # the synced lists are small (a few pipelines, tens of fields): whole arrays

    def scoped_queryset(self):
        return KommoIntegration.objects.all()

    def _integration(self, *, connected: bool = True) -> KommoIntegration:
        integration = selectors.integration_get()
        if integration is None or (connected and not integration.is_active):
            raise KommoNotConnected("Kommo is not connected to this workspace.")
        return integration

    def _status(self, integration: KommoIntegration | None, **extra) -> dict:
        body = selectors.integration_status(integration)
        if self.membership.role in (Role.ADMIN, Role.OWNER):
            body["setup"] = services.setup_urls(integration)
        return {**body, **extra}

    @extend_schema(
        tags=["integrations"],
        summary="Kommo: the connection, sync, webhook health and the latest errors",
        parameters=[OpenApiParameter("check", bool, description="Also ask Kommo whether our webhook is enabled")],
        responses=s.KommoStatusOutput,
    )
    @calls_upstream
    def status(self, request):
        integration = selectors.integration_get()
        body = self._status(integration)
        if integration is not None and request.query_params.get("check") in ("1", "true"):
            body["webhook"] = {**body["webhook"], **services.webhook_health(integration)}
        return Response(s.KommoStatusOutput(body).data)

    @extend_schema(
        tags=["integrations"], request=s.ConnectInput, responses={200: s.ConnectOutput, 201: s.KommoStatusOutput}
    )
    @calls_upstream
    def connect(self, request):
        data = self.validated(s.ConnectInput, request.data)
        if data["mode"] == "oauth":
            return Response(services.oauth_authorize(workspace=self.workspace, user=request.user))
        integration = services.connect_long_lived(
            workspace=self.workspace,
            user=request.user,
            base_domain=data["base_domain"],
            access_token=data["access_token"],
            client_id=data["client_id"],
            client_secret=data["client_secret"],
        )
        return Response(s.KommoStatusOutput(self._status(integration)).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["integrations"], request=None, responses={202: s.KommoStatusOutput})
    def sync(self, request):
        integration = services.sync_request(integration=self._integration())
        return Response(s.KommoStatusOutput(self._status(integration)).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        tags=["integrations"], summary="Register the webhooks again", request=None, responses=s.KommoStatusOutput
    )
    @calls_upstream
    def repair(self, request):
        integration = services.webhook_register(self._integration())
        body = self._status(integration)
        body["webhook"] = {**body["webhook"], **services.webhook_health(integration)}
        return Response(s.KommoStatusOutput(body).data)

    @extend_schema(tags=["integrations"], request=s.KommoSettingsInput, responses=s.KommoStatusOutput)
    @calls_upstream
    def update_settings(self, request):
        data = self.validated(s.KommoSettingsInput, request.data)
        integration = services.settings_update(
            integration=self._integration(connected=False), user=request.user, **data
        )
        return Response(s.KommoStatusOutput(self._status(integration)).data)

    @extend_schema(tags=["integrations"], request=None, responses={204: None})
    def disconnect(self, request):
        services.disconnect(integration=self._integration(connected=False), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=["integrations"], responses=s.PipelineOutput(many=True))
    def pipelines(self, request):
        include_deleted = request.query_params.get("include_deleted") in ("1", "true")
        return Response(s.PipelineOutput(selectors.pipeline_list(include_deleted=include_deleted), many=True).data)

    @extend_schema(tags=["integrations"], parameters=[s.FieldListQuery], responses=s.FieldOutput(many=True))
    def fields(self, request):
        query = self.validated(s.FieldListQuery, request.query_params)
        fields = selectors.field_list(entity=query.get("entity"), include_deleted=query["include_deleted"])
        return Response(s.FieldOutput(fields, many=True).data)

    @extend_schema(tags=["integrations"], responses=s.KommoUserOutput(many=True))
    def users(self, request):
        return Response(s.KommoUserOutput(selectors.user_list(), many=True).data)
