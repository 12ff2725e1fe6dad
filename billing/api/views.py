import csv
import io

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from billing import selectors
from billing.api.serializers import (
    DashboardDayOutput,
    DashboardOutput,
    DashboardQuery,
    PlansOutput,
    PlanUsageOutput,
    UsageOutput,
    UsageQuery,
)


class UsageStatisticsViewSet(WorkspaceViewSet):
    pagination_class = None  # one object, not a page (the schema said a page)

    def scoped_queryset(self):
        return selectors.usage_event_list()

    @extend_schema(
        tags=["statistics"],
        summary="AI usage: calls, tokens and cost by day / agent / model over a date range",
        parameters=[UsageQuery],
        responses=UsageOutput,
    )
    def show(self, request):
        query = UsageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        statistics = selectors.usage_statistics(workspace=self.workspace, **params)
        return Response(
            UsageOutput({"date_from": params["date_from"], "date_to": params["date_to"], **statistics}).data
        )


def dashboard_query(view: WorkspaceViewSet) -> dict:
    """The period a statistics request asks for (the workspace's today by default)."""
    today = selectors.workspace_today(workspace=view.workspace)
    query = DashboardQuery(data=view.request.query_params, context={"today": today})
    query.is_valid(raise_exception=True)
    return query.validated_data


class DashboardStatisticsViewSet(WorkspaceViewSet):
    pagination_class = None

    def scoped_queryset(self):
        return selectors.usage_event_list()

    @extend_schema(
        tags=["statistics"],
        summary="The dashboard: each figure over a period and the period before it, and per day",
        parameters=[DashboardQuery],
        responses=DashboardOutput,
    )
    def show(self, request):
        statistics = selectors.dashboard_statistics(workspace=self.workspace, **dashboard_query(self))
        return Response(DashboardOutput(statistics).data)

    @extend_schema(
        tags=["statistics"],
        summary="One agent's dashboard: its figures over a period and the period before it, and per day",
        description="404 for an id with no statistics in this workspace (another workspace's agent, or "
        "an agent that has not had any activity yet).",
        parameters=[DashboardQuery],
        responses=DashboardOutput,
    )
    def agent(self, request, agent_id: int):
        if not selectors.agent_has_statistics(agent_id=agent_id):
            raise Http404
        params = dashboard_query(self)
        statistics = selectors.dashboard_statistics(workspace=self.workspace, agent_id=agent_id, **params)
        return Response(DashboardOutput(statistics).data)

    @extend_schema(
        tags=["statistics"],
        summary="The dashboard's figures per day, as CSV",
        parameters=[DashboardQuery],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per day")},
    )
    def export(self, request):
        params = dashboard_query(self)
        statistics = selectors.dashboard_statistics(workspace=self.workspace, **params)
        columns = ["date", *(name for name in DashboardDayOutput().fields if name != "date")]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(DashboardDayOutput(statistics["series"], many=True).data)
        filename = f"statistics-{params['date_from']}-{params['date_to']}.csv"
        return HttpResponse(
            out.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
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
