from django.urls import path

from billing.api import dashboard, stripe_views, views

app_name = "billing"

urlpatterns = [
    path("billing/plans", views.PlanViewSet.as_view({"get": "show"}), name="plans"),
    path("billing/usage", views.PlanUsageViewSet.as_view({"get": "show"}), name="plan-usage"),
    path(
        "billing/subscription", stripe_views.StripeBillingViewSet.as_view({"get": "subscription"}), name="subscription"
    ),
    path("billing/subscribe", stripe_views.StripeBillingViewSet.as_view({"post": "subscribe"}), name="subscribe"),
    path("billing/change-plan", stripe_views.StripeBillingViewSet.as_view({"post": "change_plan"}), name="change-plan"),
    path("billing/cancel", stripe_views.StripeBillingViewSet.as_view({"post": "cancel"}), name="cancel"),
    path("billing/resume", stripe_views.StripeBillingViewSet.as_view({"post": "resume"}), name="resume"),
    path("billing/portal", stripe_views.StripeBillingViewSet.as_view({"post": "portal"}), name="portal"),
    path("billing/invoices", stripe_views.StripeBillingViewSet.as_view({"get": "invoices"}), name="invoices"),
    path("statistics/usage", views.UsageStatisticsViewSet.as_view({"get": "show"}), name="usage"),
    path("statistics/dashboard", views.DashboardStatisticsViewSet.as_view({"get": "show"}), name="dashboard"),
    path(
        "statistics/agents/<int:agent_id>",
        views.DashboardStatisticsViewSet.as_view({"get": "agent"}),
        name="agent",
    ),
    path("statistics/live", dashboard.DashboardLiveViewSet.as_view({"get": "live"}), name="live"),
    path("statistics/attention", dashboard.DashboardLiveViewSet.as_view({"get": "attention"}), name="attention"),
    path("statistics/export.csv", views.DashboardStatisticsViewSet.as_view({"get": "export"}), name="export"),
]
