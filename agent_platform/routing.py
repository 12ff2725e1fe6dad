"""Websocket routes: one multiplexed socket per tab (apps plug in subscription kinds, see realtime)."""

from django.urls import path

from agent_platform.consumers import WorkspaceConsumer

websocket_urlpatterns = [
    path("ws/", WorkspaceConsumer.as_asgi()),
]
