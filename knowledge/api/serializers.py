from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agent_platform.api.fields import ScopedPrimaryKeyRelatedField
from knowledge.models import Article, ArticleFile, ArticleRelation, Category, IndexState, KnowledgeSettings
from knowledge.search import MODES

# --- categories ---


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    parent = ScopedPrimaryKeyRelatedField(model=Category, required=False, allow_null=True)
    order = serializers.IntegerField(required=False, default=0, min_value=-(2**31), max_value=2**31 - 1)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CategoryUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    parent = ScopedPrimaryKeyRelatedField(model=Category, required=False, allow_null=True)
    order = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)
    description = serializers.CharField(required=False, allow_blank=True)


class CategoryOutput(serializers.ModelSerializer):
    article_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Category
        fields = ["id", "name", "parent", "order", "description", "article_count", "created_at", "updated_at"]


class CategoryTreeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    article_count = serializers.IntegerField()
    children = serializers.ListField(
        child=serializers.DictField(), help_text="Child categories, each shaped like this object."
    )


class CategoryDeleteQuery(serializers.Serializer):
    on_articles = serializers.ChoiceField(
        choices=["refuse", "move_to_parent"],
        default="refuse",
        help_text="What to do with the category's articles: refuse the deletion, or move them to the parent.",
    )


# --- articles ---


class IndexStateOutput(serializers.Serializer):
    state = serializers.ChoiceField(choices=IndexState.choices, source="index_state")
    progress = serializers.IntegerField(source="index_progress")
    error = serializers.CharField(source="index_error")
    attempts = serializers.IntegerField(source="index_attempts")
    changed_at = serializers.DateTimeField(source="index_state_changed_at")
    indexed_at = serializers.DateTimeField(allow_null=True)


class ArticleFileOutput(serializers.ModelSerializer):
    index = IndexStateOutput(source="*", read_only=True)

    class Meta:
        model = ArticleFile
        fields = ["id", "article", "name", "content_type", "size", "sha256", "index", "created_at"]


class ArticleInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text="HTML; sanitized on save.")
    status = serializers.ChoiceField(choices=Article.Status.choices, default=Article.Status.DRAFT)
    language = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default="", help_text="ISO 639-1; empty = detect."
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    categories = ScopedPrimaryKeyRelatedField(model=Category, many=True, required=False, default=list)


class ArticleUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Article.Status.choices, required=False)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    categories = ScopedPrimaryKeyRelatedField(model=Category, many=True, required=False)
    url_resync = serializers.BooleanField(required=False)


class ArticleListOutput(serializers.ModelSerializer):
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    index = IndexStateOutput(source="*", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "status",
            "language",
            "detected_language",
            "tags",
            "source",
            "source_url",
            "categories",
            "index",
            "created_at",
            "updated_at",
        ]


class ArticleBriefOutput(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "status"]


class RelationOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField(help_text="related | see_also | replaces | replaced_by | similar")
    direction = serializers.CharField(allow_null=True, help_text="outgoing | incoming | null for similar")
    article = ArticleBriefOutput()
    score = serializers.FloatField(allow_null=True, required=False)


class ArticleOutput(ArticleListOutput):
    files = ArticleFileOutput(many=True, read_only=True)
    relations = serializers.SerializerMethodField()

    class Meta(ArticleListOutput.Meta):
        fields = [*ArticleListOutput.Meta.fields, "body", "url_resync", "url_synced_at", "files", "relations"]

    @extend_schema_field(RelationOutput(many=True))
    def get_relations(self, article: Article) -> list[dict]:
        return RelationOutput(self.context["relations"], many=True).data


class RelationInput(serializers.Serializer):
    target = ScopedPrimaryKeyRelatedField(model=Article)
    kind = serializers.ChoiceField(choices=ArticleRelation.Kind.choices, default=ArticleRelation.Kind.RELATED)


class FileUploadInput(serializers.Serializer):
    file = serializers.FileField()


class FileImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, HTML, Markdown or plain text; the article is titled after it.")
    categories = ScopedPrimaryKeyRelatedField(model=Category, many=True, required=False, default=list)
    status = serializers.ChoiceField(choices=Article.Status.choices, default=Article.Status.PUBLISHED)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class CsvImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="UTF-8 CSV with a header row: question, answer[, tags].")
    categories = ScopedPrimaryKeyRelatedField(model=Category, many=True, required=False, default=list)
    status = serializers.ChoiceField(choices=Article.Status.choices, default=Article.Status.PUBLISHED)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class CsvImportOutput(serializers.Serializer):
    created = serializers.IntegerField()
    articles = ArticleBriefOutput(many=True)


class UrlImportInput(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    categories = ScopedPrimaryKeyRelatedField(model=Category, many=True, required=False, default=list)
    status = serializers.ChoiceField(choices=Article.Status.choices, default=Article.Status.PUBLISHED)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    resync = serializers.BooleanField(default=False, help_text="Fetch the page periodically and update the article.")


# --- search ---


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=1000)
    mode = serializers.ChoiceField(choices=MODES, default="hybrid")
    categories = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Category ids; descendants are included."
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True)
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Article.Status.choices), required=False, default=["published"]
    )
    k = serializers.IntegerField(min_value=1, max_value=50, default=10)


class SearchHitOutput(serializers.Serializer):
    chunk_id = serializers.IntegerField()
    article_id = serializers.IntegerField()
    article_title = serializers.CharField()
    file_id = serializers.IntegerField(allow_null=True)
    file_name = serializers.CharField(allow_null=True)
    heading = serializers.CharField()
    page = serializers.IntegerField(allow_null=True)
    char_start = serializers.IntegerField()
    char_end = serializers.IntegerField()
    snippet = serializers.CharField(help_text="HTML-escaped passage excerpt; matches wrapped in <mark>.")
    score = serializers.FloatField(help_text="Reciprocal-rank-fusion score: orders one response's hits, nothing more.")
    relevance = serializers.ChoiceField(
        choices=["high", "medium"], help_text="How well the passage matches; below the floors nothing is returned."
    )
    distance = serializers.FloatField(
        allow_null=True, help_text="Cosine distance to the query (null: not searched by meaning, or too far)."
    )
    text_rank = serializers.FloatField(
        allow_null=True, help_text="Full-text ts_rank_cd (null: not searched by words, or too weak a match)."
    )
    fulltext_rank = serializers.IntegerField(allow_null=True)
    semantic_rank = serializers.IntegerField(allow_null=True)
    language = serializers.CharField()


class SearchOutput(serializers.Serializer):
    query = serializers.CharField()
    mode = serializers.CharField()
    results = SearchHitOutput(many=True)


class KnowledgeSettingsOutput(serializers.ModelSerializer):
    class Meta:
        model = KnowledgeSettings
        fields = ["embedding_provider", "pending_embedding_provider", "reembed_progress", "updated_at"]


class KnowledgeSettingsInput(serializers.Serializer):
    embedding_provider = serializers.CharField(max_length=100)
