from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from integrations.api.views import ai, kommo, kommo_entry

app_name = "integrations"

router = SimpleRouter(trailing_slash=False)
router.register("ai/credentials", ai.AICredentialViewSet, basename="ai-credentials")

kommo_view = kommo.KommoViewSet.as_view
urlpatterns = [
    path("ai/models", ai.AIModelListView.as_view(), name="ai-models"),
    path("ai/test", ai.AIConnectionTestViewSet.as_view({"post": "test"}), name="ai-test"),
    *router.urls,
    path("integrations/kommo", kommo_view({"get": "status"}), name="kommo"),
    path("integrations/kommo/connect", kommo_view({"post": "connect"}), name="kommo-connect"),
    path("integrations/kommo/sync", kommo_view({"post": "sync"}), name="kommo-sync"),
    path("integrations/kommo/repair", kommo_view({"post": "repair"}), name="kommo-repair"),
    path("integrations/kommo/settings", kommo_view({"patch": "update_settings"}), name="kommo-settings"),
    path("integrations/kommo/disconnect", kommo_view({"delete": "disconnect"}), name="kommo-disconnect"),
    path("integrations/kommo/pipelines", kommo_view({"get": "pipelines"}), name="kommo-pipelines"),
    path("integrations/kommo/fields", kommo_view({"get": "fields"}), name="kommo-fields"),
    path("integrations/kommo/users", kommo_view({"get": "users"}), name="kommo-users"),
    path("integrations/kommo/callback", kommo_entry.OAuthCallbackView.as_view(), name="kommo-callback"),
    path("webhooks/kommo/revoked", kommo_entry.RevokedView.as_view(), name="kommo-revoked"),
    path("webhooks/kommo/salesbot", kommo_entry.SalesbotWidgetView.as_view(), name="kommo-salesbot"),
    re_path(
        r"^webhooks/kommo/chats/(?P<scope_id>[A-Za-z0-9_.:-]{1,200})$",
        kommo_entry.ChatsHookView.as_view(),
        name="kommo-chats-hook",
    ),
]
