from django.urls import include, path
from rest_framework.routers import SimpleRouter

from agent_platform.urls import handler400, handler403, handler404, handler500
from agent_platform.urls import urlpatterns as platform_urls
from tests.sample.views import NoteViewSet

router = SimpleRouter(trailing_slash=False)
router.register("sample/notes", NoteViewSet, basename="sample-notes")

urlpatterns = [path("api/", include(router.urls)), *platform_urls]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
