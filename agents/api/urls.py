from rest_framework.routers import SimpleRouter

from agents.api import views

app_name = "agents"

router = SimpleRouter(trailing_slash=False)
router.register("agents", views.AgentViewSet, basename="agents")
router.register(r"agents/(?P<agent_pk>\d+)/update-rules", views.UpdateRuleViewSet, basename="update-rules")

urlpatterns = router.urls
