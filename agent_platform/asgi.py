"""ASGI entry point: HTTP (Django) and websockets (Channels) in one application.

Kommo's account webhooks (the hottest entry point, bench/kommo_webhooks) have an ASGI application of
their own (settings.ENTRY_POINT_APPLICATION, `integrations.api.webhook_asgi`): it answers a stored
webhook's 200 without Django's request machinery, which was most of the request's CPU. What it does
not answer itself (another method, a refusal, a failure) goes to a second Django handler with only
the request-id and origin middleware (no session, user, CSRF, CORS, static files or Prometheus
counters), running the whole request — middleware, URL, view — in a pool thread of its own: under the
full stack, whose middleware are sync, all of a process's requests run on one thread. Everything
else takes the full stack.
"""

import os
import re

from asgiref.sync import sync_to_async
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db import connections
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agent_platform.settings.base")
django_asgi_app = get_asgi_application()  # set up Django before importing consumers

from agent_platform.middleware import RequestIdMiddleware, RequestOriginMiddleware  # noqa: E402
from agent_platform.routing import websocket_urlpatterns  # noqa: E402
from agent_platform.ws_auth import JwtAuthMiddleware  # noqa: E402

# The account webhooks' URL (integrations/api/hook_urls.py).
ENTRY_POINTS = re.compile(r"^/api/webhooks/kommo/[A-Za-z0-9_-]{20,100}(?:/[a-z_-]{1,40})?$")


class EntryPointHandler(ASGIHandler):
    """Django's ASGI handler running each request, with RequestIdMiddleware and
    RequestOriginMiddleware only, in a pool thread (not the process's one sync thread); the
    thread's database connection goes back to the pool after each request."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        chain = convert_exception_to_response(self._get_response)
        chain = convert_exception_to_response(RequestOriginMiddleware(chain))
        self._sync_chain = convert_exception_to_response(RequestIdMiddleware(chain))
        self._middleware_chain = sync_to_async(self._in_pool_thread, thread_sensitive=False)

    def _in_pool_thread(self, request):
        try:
            return self._sync_chain(request)
        finally:
            connections.close_all()


# The webhooks' own ASGI application (settings.ENTRY_POINT_APPLICATION: an app's, named by string as
# apps plug into the project) answers their 200s; the Django handler above everything else.
entry_point_app = import_string(settings.ENTRY_POINT_APPLICATION)(fallback=EntryPointHandler())


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
