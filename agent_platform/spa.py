"""The SPA's `index.html` for every browser route (`/`, `/login`, `/agents/12`, …).

Wired last in `urls.py`: the API, the admin, static files (whitenoise), health and metrics answer
first. Paths under `api/`, `admin/`, `static/`, `media/` and `ws/` never reach it, so an unknown API
URL still answers the problem+json 404; so do paths that look like files (`/foo.js`), which would
otherwise come back as HTML and fail confusingly in the browser.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Everything except the prefixes served by Django itself, and no dot anywhere (file-like paths).
SPA_ROUTE = r"^(?!(?:api|admin|static|media|ws)(?:/|$))[^.]*$"

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AI Agent Platform</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The web app is not built yet</h1>
<p>Build it with <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code> (<code>make run</code> does this
when npm is installed), then reload. The API is at <a href="/api/docs/">/api/docs/</a>.</p></body></html>"""


def _index_candidates() -> list[Path]:
    # frontend/dist in a checkout; STATIC_ROOT after collectstatic (e.g. a slim production image).
    return [Path(settings.FRONTEND_DIST) / "index.html", Path(settings.STATIC_ROOT) / "index.html"]


def _read_index() -> str | None:
    for path in _index_candidates():
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


@lru_cache(maxsize=1)
def _cached_index() -> str | None:
    return _read_index()


@require_safe
@never_cache  # index.html names the hashed bundles of the current build: never serve a stale one
def index(request: HttpRequest, path: str = "") -> HttpResponse:
    html = _read_index() if settings.DEBUG else _cached_index()
    if html is None:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/html; charset=utf-8")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(SPA_ROUTE, index, name="spa")]
