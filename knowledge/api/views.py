from __future__ import annotations

import django_filters
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agent_platform.api.schema import calls_upstream
from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role
from knowledge import selectors, services
from knowledge.api import serializers as s
from knowledge.models import Article, ArticleFile, ArticleRelation, Chunk, KnowledgeSettings
from knowledge.search import SearchFilters


@extend_schema_view(
    list=extend_schema(summary="Categories, flat, with direct article counts", responses=s.CategoryOutput(many=True)),
    retrieve=extend_schema(summary="One category", responses=s.CategoryOutput),
)
@extend_schema(tags=["knowledge"])
class CategoryViewSet(WorkspaceViewSet):
    serializer_class = s.CategoryOutput
    pagination_class = None
    filterset_fields = ["parent"]
    search_fields = ["name"]

    def scoped_queryset(self):
        return selectors.category_list()

    def list(self, request):
        return Response(s.CategoryOutput(self.filter_queryset(self.get_queryset()), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.CategoryOutput(self.get_object()).data)

    @extend_schema(summary="Create a category", request=s.CategoryInput, responses={201: s.CategoryOutput})
    def create(self, request):
        data = self.validated(s.CategoryInput, request.data)
        category = services.category_create(workspace=self.workspace, **data)
        return Response(s.CategoryOutput(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename, reorder or move a category", request=s.CategoryUpdateInput, responses=s.CategoryOutput
    )
    def partial_update(self, request, pk=None):
        category = services.category_update(
            category=self.get_object(), **self.validated(s.CategoryUpdateInput, request.data)
        )
        return Response(s.CategoryOutput(category).data)

    @extend_schema(
        summary="Delete a category (sub-categories move up; articles: refuse or move to the parent)",
        parameters=[s.CategoryDeleteQuery],
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        query = self.validated(s.CategoryDeleteQuery, request.query_params)
        services.category_delete(category=self.get_object(), on_articles=query["on_articles"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="The whole category tree, nested", responses=s.CategoryTreeOutput(many=True))
    @action(detail=False, methods=["get"])
    def tree(self, request):
        return Response(s.CategoryTreeOutput(selectors.category_tree(), many=True).data)


class ArticleFilter(django_filters.FilterSet):
    language = django_filters.CharFilter(
        field_name="detected_language", help_text="The article's language: chosen, or detected from its text and files."
    )

    class Meta:
        model = Article
        fields = ["status", "language", "source", "index_state"]


_article_filters = [
    OpenApiParameter("category", int, description="Articles in this category or any descendant."),
    OpenApiParameter("tag", str),
]


@extend_schema_view(
    list=extend_schema(summary="Articles", parameters=_article_filters, responses=s.ArticleListOutput(many=True)),
    retrieve=extend_schema(summary="One article with files, index state and relations", responses=s.ArticleOutput),
)
@extend_schema(tags=["knowledge"])
class ArticleViewSet(WorkspaceViewSet):
    serializer_class = s.ArticleListOutput
    filterset_class = ArticleFilter
    search_fields = ["title"]
    ordering_fields = ["updated_at", "created_at", "title"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def scoped_queryset(self):
        if self.action == "retrieve":
            return selectors.article_detail_queryset()
        params = getattr(self.request, "query_params", {}) if self.action == "list" else {}
        category = params.get("category", "")
        return selectors.article_list(
            category_id=int(category) if category.isdigit() else None,
            tag=params.get("tag", ""),
            page=self.action == "list",
        )

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.ArticleListOutput(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Create an article (queued for indexing)", request=s.ArticleInput, responses={201: s.ArticleOutput}
    )
    def create(self, request):
        data = self.validated(s.ArticleInput, request.data)
        article = services.article_create(workspace=self.workspace, actor=request.user, **data)
        return Response(self._detail(article), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an article (text changes re-index it)", request=s.ArticleUpdateInput, responses=s.ArticleOutput
    )
    def partial_update(self, request, pk=None):
        data = self.validated(s.ArticleUpdateInput, request.data)
        article = services.article_update(article=self.get_object(), actor=request.user, **data)
        return Response(self._detail(article))

    @extend_schema(summary="Delete an article with its files", responses={204: None})
    def destroy(self, request, pk=None):
        services.article_delete(article=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Re-index a failed (or ready) article", request=None, responses={202: s.ArticleOutput})
    @action(detail=True, methods=["post"])
    def reindex(self, request, pk=None):
        article = services.index_retry(item=self.get_object())
        return Response(self._detail(article), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Explicit relations, then the nearest articles by meaning", responses=s.RelationOutput(many=True)
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def related(self, request, pk=None):
        return Response(s.RelationOutput(selectors.article_related(article=self.get_object()), many=True).data)

    @extend_schema(
        summary="Relate this article to another", request=s.RelationInput, responses={201: s.RelationOutput(many=True)}
    )
    @action(detail=True, methods=["post"])
    def relations(self, request, pk=None):
        article = self.get_object()
        data = self.validated(s.RelationInput, request.data)
        services.article_relation_add(source=article, target=data["target"], kind=data["kind"])
        return Response(
            s.RelationOutput(selectors.article_relations(article=article), many=True).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Attach a file (PDF, DOCX, HTML, Markdown, TXT)",
        request={"multipart/form-data": s.FileUploadInput},
        responses={201: s.ArticleFileOutput},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request, pk=None):
        data = self.validated(s.FileUploadInput, request.data)
        attached = services.article_file_upload(article=self.get_object(), upload=data["file"], actor=request.user)
        return Response(s.ArticleFileOutput(attached).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Create an article from a file (titled after it; the file attached and indexed)",
        request={"multipart/form-data": s.FileImportInput},
        responses={201: s.ArticleOutput},
    )
    @action(detail=False, methods=["post"], url_path="import-file", parser_classes=[MultiPartParser])
    def import_file(self, request):
        data = self.validated(s.FileImportInput, request.data)
        attached = services.article_import_file(
            workspace=self.workspace,
            actor=request.user,
            upload=data["file"],
            categories=data["categories"],
            status=data["status"],
            language=data["language"],
        )
        return Response(self._detail(attached.article), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Import Q&A pairs from a CSV file",
        request={"multipart/form-data": s.CsvImportInput},
        responses={201: s.CsvImportOutput},
    )
    @action(detail=False, methods=["post"], url_path="import-csv", parser_classes=[MultiPartParser])
    def import_csv(self, request):
        data = self.validated(s.CsvImportInput, request.data)
        articles = services.article_import_csv(
            workspace=self.workspace,
            actor=request.user,
            data=data["file"].read(),
            categories=data["categories"],
            status=data["status"],
            language=data["language"],
        )
        return Response(
            s.CsvImportOutput({"created": len(articles), "articles": articles}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Import a public web page as an article", request=s.UrlImportInput, responses={201: s.ArticleOutput}
    )
    @action(detail=False, methods=["post"], url_path="import-url")
    @calls_upstream(status=422)
    def import_url(self, request):
        article = services.article_import_url(
            workspace=self.workspace, actor=request.user, **self.validated(s.UrlImportInput, request.data)
        )
        return Response(self._detail(article), status=status.HTTP_201_CREATED)

    def _detail(self, article: Article) -> dict:
        article = selectors.article_detail_queryset().get(pk=article.pk)
        context = {**self.get_serializer_context(), "relations": selectors.article_relations(article=article)}
        return s.ArticleOutput(article, context=context).data


@extend_schema_view(
    retrieve=extend_schema(summary="One attached file with its index state", responses=s.ArticleFileOutput),
)
@extend_schema(tags=["knowledge"])
class ArticleFileViewSet(WorkspaceViewSet):
    serializer_class = s.ArticleFileOutput
    pagination_class = None

    def scoped_queryset(self):
        return selectors.article_file_list()

    def retrieve(self, request, pk=None):
        return Response(s.ArticleFileOutput(self.get_object()).data)

    @extend_schema(summary="Delete an attached file", responses={204: None})
    def destroy(self, request, pk=None):
        services.article_file_delete(file=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Download the file", responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attached: ArticleFile = self.get_object()
        return FileResponse(
            attached.file.open("rb"),
            as_attachment=True,
            filename=attached.name,
            content_type=attached.content_type or "application/octet-stream",
        )

    @extend_schema(summary="Re-index a failed (or ready) file", request=None, responses={202: s.ArticleFileOutput})
    @action(detail=True, methods=["post"])
    def reindex(self, request, pk=None):
        return Response(
            s.ArticleFileOutput(services.index_retry(item=self.get_object())).data, status=status.HTTP_202_ACCEPTED
        )


@extend_schema(tags=["knowledge"])
class ArticleRelationViewSet(WorkspaceViewSet):
    serializer_class = s.RelationOutput

    def scoped_queryset(self):
        return ArticleRelation.objects.all()

    @extend_schema(summary="Remove an article relation", responses={204: None})
    def destroy(self, request, pk=None):
        services.article_relation_remove(relation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["knowledge"])
class SearchViewSet(WorkspaceViewSet):
    """`GET /api/knowledge/search?q=…` or `POST` with a JSON body of the same fields."""

    serializer_class = s.SearchOutput
    action_roles = {"search": Role.MEMBER}

    def scoped_queryset(self):
        return Chunk.objects.none()

    @extend_schema(
        summary="Search the knowledge base (hybrid by default) with citations",
        methods=["GET"],
        parameters=[s.SearchInput],
        responses=s.SearchOutput,
    )
    @extend_schema(methods=["POST"], summary="Search (JSON body)", request=s.SearchInput, responses=s.SearchOutput)
    def search(self, request):
        source = request.data if request.method == "POST" else _query_dict(request.query_params)
        query = self.validated(s.SearchInput, source)
        data = query
        filters = SearchFilters(
            category_ids=data.get("categories"),
            tags=data.get("tags"),
            language=data.get("language") or None,
            statuses=data["status"],
        )
        hits = selectors.search(
            workspace=self.workspace, query=data["q"], mode=data["mode"], filters=filters, k=data["k"]
        )
        return Response(s.SearchOutput({"query": data["q"], "mode": data["mode"], "results": hits}).data)


def _query_dict(params) -> dict:
    """Query strings repeat list parameters (`?categories=1&categories=2`) or comma-separate them."""
    data = {key: params.get(key) for key in params}
    for key in ("categories", "tags", "status"):
        values = [part for value in params.getlist(key) for part in value.split(",") if part]
        if values:
            data[key] = values
        else:
            data.pop(key, None)
    return data


@extend_schema(tags=["knowledge"])
class KnowledgeSettingsViewSet(WorkspaceViewSet):
    serializer_class = s.KnowledgeSettingsOutput

    def scoped_queryset(self):
        return KnowledgeSettings.objects.all()

    @extend_schema(
        summary="The workspace's embedding provider (and a pending switch)", responses=s.KnowledgeSettingsOutput
    )
    def show(self, request):
        return Response(s.KnowledgeSettingsOutput(services.knowledge_settings_get(workspace_id=self.workspace.pk)).data)

    @extend_schema(
        summary="Switch the embedding provider (re-embeds in the background; search keeps working)",
        request=s.KnowledgeSettingsInput,
        responses=s.KnowledgeSettingsOutput,
    )
    def change(self, request):
        data = self.validated(s.KnowledgeSettingsInput, request.data)
        config = services.embedding_provider_change(workspace=self.workspace, key=data["embedding_provider"])
        return Response(s.KnowledgeSettingsOutput(config).data)
