"""Websocket routes, collected from the apps' consumers."""

from django.urls import path

from accounts.consumers import WorkspaceConsumer

websocket_urlpatterns = [
    path("ws/", WorkspaceConsumer.as_asgi()),
]
