"""Back office: the category tree, articles with their files and index state, a re-index action.

The admin sees every workspace (it uses the `all_workspaces` manager); actions run each item's
service inside its own workspace scope.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models

from agent_platform.tenancy import workspace_scope
from knowledge import services
from knowledge.exceptions import NotRetryable
from knowledge.models import Article, ArticleCategory, ArticleFile, ArticleRelation, Category, KnowledgeSettings


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["tree_name", "workspace", "order", "article_count"]
    list_filter = ["workspace"]
    search_fields = ["name"]
    raw_id_fields = ["parent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent", "workspace")
            .order_by("workspace_id", "parent_id", "order")
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Depth-first order so the list reads as a tree (one query for the whole page).
        rows = list(changelist.result_list)
        children: dict = {}
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)
        ordered, depth = [], {}

        def walk(parent_id, level):
            for row in sorted(children.get(parent_id, []), key=lambda r: (r.order, r.name)):
                depth[row.pk] = level
                ordered.append(row)
                walk(row.pk, level + 1)

        roots = [row for row in rows if row.parent_id not in {r.pk for r in rows}]
        for root in sorted(roots, key=lambda r: (r.workspace_id, r.order, r.name)):
            depth[root.pk] = 0
            ordered.append(root)
            walk(root.pk, 1)
        changelist.result_list = ordered
        self._depth = depth
        return changelist

    def delete_model(self, request, obj: Category) -> None:
        with workspace_scope(obj.workspace_id):
            services.category_delete(category=obj, on_articles="refuse")

    def delete_queryset(self, request, queryset) -> None:
        for category in queryset:
            self.delete_model(request, category)

    @admin.display(description="name")
    def tree_name(self, category: Category) -> str:
        return "— " * getattr(self, "_depth", {}).get(category.pk, 0) + category.name

    @admin.display(description="articles")
    def article_count(self, category: Category) -> int:
        return ArticleCategory.all_workspaces.filter(category=category).count()


class ArticleFileInline(admin.TabularInline):
    model = ArticleFile
    extra = 0
    fields = ["name", "file", "size", "index_state", "index_progress", "index_error"]
    readonly_fields = ["size", "index_state", "index_progress", "index_error"]


class ArticleCategoryInline(admin.TabularInline):
    model = ArticleCategory
    extra = 0
    raw_id_fields = ["category"]


class ArticleRelationInline(admin.TabularInline):
    model = ArticleRelation
    fk_name = "source"
    extra = 0
    raw_id_fields = ["target"]


def _reindex(modeladmin, request, queryset) -> None:
    done = skipped = 0
    for item in queryset:
        with workspace_scope(item.workspace_id):
            try:
                services.index_retry(item=item)
                done += 1
            except NotRetryable:
                skipped += 1
    modeladmin.message_user(
        request, f"Re-indexing {done} item(s); {skipped} still in progress were skipped.", messages.INFO
    )


_reindex.short_description = "Re-index (failed or ready items)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "status", "language", "source", "index_state", "index_progress", "updated_at"]
    list_filter = ["status", "index_state", "source", "language", "workspace"]
    search_fields = ["title"]
    readonly_fields = ["index_state", "index_progress", "index_error", "index_attempts", "indexed_at", "created_by"]
    exclude = ["extracted_text", "extracted_hash", "url_content_hash"]
    inlines = [ArticleCategoryInline, ArticleFileInline, ArticleRelationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [_reindex]


@admin.register(ArticleFile)
class ArticleFileAdmin(admin.ModelAdmin):
    list_display = ["name", "article", "workspace", "size", "index_state", "index_progress", "index_error"]
    list_filter = ["index_state", "workspace"]
    readonly_fields = ["index_state", "index_progress", "index_error", "index_attempts", "indexed_at", "sha256"]
    exclude = ["extracted_text", "extracted_hash"]
    raw_id_fields = ["article"]
    actions = [_reindex]


@admin.register(KnowledgeSettings)
class KnowledgeSettingsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "embedding_provider", "pending_embedding_provider", "reembed_progress"]
    readonly_fields = ["pending_embedding_provider", "reembed_progress"]
