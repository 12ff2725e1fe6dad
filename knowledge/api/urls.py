from django.urls import path
from rest_framework.routers import SimpleRouter

from knowledge.api import views

app_name = "knowledge"

router = SimpleRouter(trailing_slash=False)
router.register("knowledge/categories", views.CategoryViewSet, basename="categories")
router.register("knowledge/articles", views.ArticleViewSet, basename="articles")
router.register("knowledge/files", views.ArticleFileViewSet, basename="files")
router.register("knowledge/relations", views.ArticleRelationViewSet, basename="relations")

urlpatterns = [
    path("knowledge/search", views.SearchViewSet.as_view({"get": "search", "post": "search"}), name="search"),
    path(
        "knowledge/settings",
        views.KnowledgeSettingsViewSet.as_view({"get": "show", "patch": "change"}),
        name="settings",
    ),
    *router.urls,
]
