"""Kommo's account webhooks, the hottest entry point: the root URLconf includes these first (under
api/), so resolving one skips every other pattern (when last, resolving was a third of the view's
time, bench/kommo_webhooks)."""

from django.urls import re_path

from integrations.api.views import kommo_entry

app_name = "integrations-hooks"

urlpatterns = [
    re_path(
        r"^webhooks/kommo/(?P<secret>[A-Za-z0-9_-]{20,100})(?:/(?P<kind>[a-z_-]{1,40}))?$",
        kommo_entry.webhook_receive,
        name="kommo-webhook",
    ),
]
