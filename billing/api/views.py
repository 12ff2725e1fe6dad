from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from billing import selectors
from billing.api.serializers import UsageOutput, UsageQuery


class UsageStatisticsViewSet(WorkspaceViewSet):
    def scoped_queryset(self):
        return selectors.usage_event_list()

    @extend_schema(
        tags=["statistics"],
        summary="AI usage: calls, tokens and cost by day / agent / model over a date range",
        parameters=[UsageQuery],
        responses=UsageOutput,
    )
    def list(self, request):
        query = UsageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        statistics = selectors.usage_statistics(workspace=self.workspace, **params)
        return Response(
            UsageOutput({"date_from": params["date_from"], "date_to": params["date_to"], **statistics}).data
        )
