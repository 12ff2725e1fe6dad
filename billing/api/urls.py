from django.urls import path

from billing.api import dashboard, views

app_name = "billing"

urlpatterns = [
    path("billing/plans", views.PlanViewSet.as_view({"get": "show"}), name="plans"),
    path("billing/usage", views.PlanUsageViewSet.as_view({"get": "show"}), name="plan-usage"),
    path("statistics/usage", views.UsageStatisticsViewSet.as_view({"get": "list"}), name="usage"),
    path("statistics/dashboard", views.DashboardStatisticsViewSet.as_view({"get": "list"}), name="dashboard"),
    path(
        "statistics/agents/<int:agent_id>",
        views.DashboardStatisticsViewSet.as_view({"get": "agent"}),
        name="agent",
    ),
    path("statistics/live", dashboard.DashboardLiveViewSet.as_view({"get": "live"}), name="live"),
    path("statistics/attention", dashboard.DashboardLiveViewSet.as_view({"get": "attention"}), name="attention"),
    path("statistics/export.csv", views.DashboardStatisticsViewSet.as_view({"get": "export"}), name="export"),
]
