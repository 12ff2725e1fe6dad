from rest_framework.routers import SimpleRouter

from automations.api import chain_views

app_name = "automations"

router = SimpleRouter(trailing_slash=False)
router.register("chains", chain_views.ChainViewSet, basename="chains")
router.register(
    r"conversations/(?P<conversation_pk>\d+)/chain-runs", chain_views.ConversationChainRunViewSet, basename="chain-runs"
)

urlpatterns = router.urls
