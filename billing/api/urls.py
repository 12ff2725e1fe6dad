from django.urls import path

from billing.api import views

app_name = "billing"

urlpatterns = [
    path("statistics/usage", views.UsageStatisticsViewSet.as_view({"get": "list"}), name="usage"),
]
