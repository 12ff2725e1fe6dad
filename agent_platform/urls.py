from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agent_platform import health
from agent_platform.api import problems


# Uploaded files (avatars, knowledge-base files) on the local filesystem storage; with S3/MinIO the
# storage hands out its own (signed) URLs instead.
def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


local_media = [re_path(r"^media/(?P<path>.*)$", _media)] if settings.STORAGE_BACKEND == "local" else []

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/", include("integrations.api.hook_urls")),  # the hottest entry point first (resolving is linear)
    path("metrics", health.metrics, name="prometheus-django-metrics"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    # Stripe's webhooks (dj-stripe's view: signature, one row per event; billing handles the events).
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("api/", include("accounts.api.urls")),
    path("api/", include("agents.api.urls")),
    path("api/", include("automations.api.urls")),
    path("api/", include("conversations.api.urls")),
    path("api/", include("integrations.api.urls")),
    path("api/", include("billing.api.urls")),
    path("api/", include("knowledge.api.urls")),
    # Any other address under api/ is the API's 404 (a problem), not Django's debug page under DEBUG.
    # CSRF-exempt like every API view: a POST to an unknown address is a 404 too, not a CSRF 403.
    re_path(r"^api/", csrf_exempt(problems.not_found)),
    *local_media,
    # Last: the SPA's index.html for every other browser route (agent_platform/spa.py).
    path("", include("agent_platform.spa")),
]

handler400 = "agent_platform.api.problems.bad_request"
handler403 = "agent_platform.api.problems.permission_denied"
handler404 = "agent_platform.api.problems.not_found"
handler500 = "agent_platform.api.problems.server_error"
