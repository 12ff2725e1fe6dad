"""ASGI entry point: HTTP (Django) and websockets (Channels) in one application.

Kommo's account webhooks (the hottest entry point, bench/kommo_webhooks) go to a second Django
handler with one async middleware (`EntryPointMiddleware`: request id, origin, access line) instead
of the whole stack: under the full stack, whose middleware are sync, every request of a process runs
on one thread, so each webhook's commit wait (an fsync) stalled every other request; here the async
view awaits its store in a thread pool and commits overlap. Everything else takes the full stack."""

import os
import re

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agent_platform.settings.base")
django_asgi_app = get_asgi_application()  # set up Django before importing consumers

from agent_platform.middleware import EntryPointMiddleware  # noqa: E402
from agent_platform.routing import websocket_urlpatterns  # noqa: E402
from agent_platform.ws_auth import JwtAuthMiddleware  # noqa: E402

# The account webhooks' URL (integrations/api/hook_urls.py; its view is async).
ENTRY_POINTS = re.compile(r"^/api/webhooks/kommo/[A-Za-z0-9_-]{20,100}(?:/[a-z_-]{1,40})?$")


class EntryPointHandler(ASGIHandler):
    """Django's ASGI handler with `EntryPointMiddleware` as its only middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        inner = convert_exception_to_response(self._get_response_async)
        self._middleware_chain = convert_exception_to_response(EntryPointMiddleware(inner))


entry_point_app = EntryPointHandler()


async def http_application(scope, receive, send):
    app = entry_point_app if ENTRY_POINTS.match(scope["path"]) else django_asgi_app
    await app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": http_application,
        # No origin check: websockets authenticate with a bearer token, never with cookies.
        "websocket": JwtAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
