from django.urls import path

from billing.api import views

app_name = "billing"

urlpatterns = [
    path("billing/plans", views.PlanViewSet.as_view({"get": "show"}), name="plans"),
    path("billing/usage", views.PlanUsageViewSet.as_view({"get": "show"}), name="plan-usage"),
    path("statistics/usage", views.UsageStatisticsViewSet.as_view({"get": "list"}), name="usage"),
]
