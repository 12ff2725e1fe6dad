from rest_framework.routers import SimpleRouter

app_name = "automations"

router = SimpleRouter(trailing_slash=False)

urlpatterns = router.urls
