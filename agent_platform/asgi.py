"""ASGI entry point: HTTP (Django) and websockets (Channels) in one application."""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agent_platform.settings.base")
django_asgi_app = get_asgi_application()  # set up Django before importing consumers

from agent_platform.routing import websocket_urlpatterns  # noqa: E402
from agent_platform.ws_auth import JwtAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # No origin check: websockets authenticate with a bearer token, never with cookies.
        "websocket": JwtAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
