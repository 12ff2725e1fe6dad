from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations.api import views

app_name = "integrations"

router = SimpleRouter(trailing_slash=False)
router.register("ai/credentials", views.AICredentialViewSet, basename="ai-credentials")

urlpatterns = [
    path("ai/models", views.AIModelListView.as_view(), name="ai-models"),
    path("ai/test", views.AIConnectionTestViewSet.as_view({"post": "test"}), name="ai-test"),
    *router.urls,
]
