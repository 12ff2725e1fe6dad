from rest_framework.routers import SimpleRouter

from automations.api import chain_views, views

app_name = "automations"

router = SimpleRouter(trailing_slash=False)
router.register("triggers", views.TriggerViewSet, basename="triggers")
router.register(
    r"conversations/(?P<conversation_pk>\d+)/field-writes",
    views.ConversationFieldWriteViewSet,
    basename="field-writes-of",
)
router.register("field-writes", views.FieldWriteViewSet, basename="field-writes")
router.register("chains", chain_views.ChainViewSet, basename="chains")
router.register(
    r"conversations/(?P<conversation_pk>\d+)/chain-runs", chain_views.ConversationChainRunViewSet, basename="chain-runs"
)

urlpatterns = router.urls
