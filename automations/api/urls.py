from rest_framework.routers import SimpleRouter

from automations.api import views

app_name = "automations"

router = SimpleRouter(trailing_slash=False)
router.register("triggers", views.TriggerViewSet, basename="triggers")

urlpatterns = router.urls
