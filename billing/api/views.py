from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from billing import selectors
from billing.api.serializers import PlansOutput, PlanUsageOutput, UsageOutput, UsageQuery


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


class PlanViewSet(WorkspaceViewSet):
    """The plans with their limits (for the comparison) and the workspace's current one."""

    def scoped_queryset(self):
        return selectors.plan_list()

    @extend_schema(
        tags=["billing"], summary="Plans with their limits, and the workspace's current plan", responses=PlansOutput
    )
    def show(self, request):
        current = selectors.plan_current(workspace=self.workspace)
        return Response(PlansOutput({"current": current.code, "plans": selectors.plan_list()}).data)


class PlanUsageViewSet(WorkspaceViewSet):
    """The workspace's plan and its use of each limit in the current period."""

    def scoped_queryset(self):
        return selectors.plan_list()

    @extend_schema(
        tags=["billing"],
        summary="The workspace's plan and, per limit, used / limit / percent this period",
        responses=PlanUsageOutput,
    )
    def show(self, request):
        return Response(PlanUsageOutput(selectors.plan_usage(workspace=self.workspace)).data)
