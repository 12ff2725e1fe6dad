from rest_framework.routers import SimpleRouter

from conversations.api import views

app_name = "conversations"

router = SimpleRouter(trailing_slash=False)
router.register("conversations", views.ConversationViewSet, basename="conversations")
router.register("playground", views.PlaygroundViewSet, basename="playground")
router.register("statistics/unanswered", views.UnansweredClusterViewSet, basename="unanswered")
router.register("channels/api", views.ApiChannelViewSet, basename="api-channel")

urlpatterns = router.urls
