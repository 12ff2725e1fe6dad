"""Reads of the knowledge app: the category tree, articles, search, related articles and
`retrieve()` for the message processor. Other apps import from here."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts.models import Workspace
from billing.types import AttentionItem, AttentionSeverity
from integrations.ai.services import embed_with_ledger
from knowledge import search as engine
from knowledge.languages import detect_language
from knowledge.models import Article, ArticleCategory, ArticleFile, ArticleRelation, Category, IndexState
from knowledge.relevance import floors_for
from knowledge.search import SearchFilters, SearchHit
from knowledge.vector_store import workspace_embedding_model


def category_list() -> QuerySet[Category]:
    return Category.objects.annotate(article_count=Count("article_links")).order_by("order", "name", "pk")


def category_ids_existing(*, ids: list[int]) -> list[int]:
    """Which of these categories still exist in the active workspace."""
    return list(Category.objects.filter(pk__in=ids).values_list("pk", flat=True))


def category_tree() -> list[dict]:
    """The whole tree, nested, from one query (with each category's direct article count)."""
    nodes = {
        category.pk: {
            "id": category.pk,
            "name": category.name,
            "description": category.description,
            "order": category.order,
            "parent_id": category.parent_id,
            "article_count": category.article_count,
            "children": [],
        }
        for category in category_list()
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node["parent_id"])
        (parent["children"] if parent else roots).append(node)
    return roots


# What a page of the article list never shows: the text (sanitized body, what extraction made of it)
# and hashes. Up to megabytes per article; reading them made a page sort whole rows (bench/api_lists).
ARTICLE_LIST_DEFERRED = ("body", "extracted_text", "extracted_hash", "url_content_hash")


def article_list(*, category_id: int | None = None, tag: str = "", page: bool = False) -> QuerySet[Article]:
    """Articles, newest change first (index kb_article_updated_idx); in a category (its descendants
    included) or with a tag. `page=True` for the list's page: without the text columns."""
    articles = Article.objects.prefetch_related(
        Prefetch("categories", queryset=Category.objects.all().only("pk")),
    ).order_by("-updated_at", "-pk")
    if page:
        articles = articles.defer(*ARTICLE_LIST_DEFERRED)
    if category_id is not None:
        # A semi-join, not a join + DISTINCT over every selected column.
        linked = ArticleCategory.objects.filter(category__in=engine.category_descendants([category_id]))
        articles = articles.filter(pk__in=linked.values("article_id"))
    if tag:
        articles = articles.filter(tags__contains=[tag.lower()])
    return articles


def articles_unindexed() -> list[int]:
    """Ids of the articles whose own text waits for indexing."""
    return list(Article.objects.filter(index_state=IndexState.QUEUED).order_by("id").values_list("id", flat=True))


def article_detail_queryset() -> QuerySet[Article]:
    return Article.objects.prefetch_related(
        Prefetch("categories", queryset=Category.objects.all().only("pk")),
        Prefetch("files", queryset=ArticleFile.objects.order_by("created_at", "pk")),
        Prefetch("outgoing_relations", queryset=ArticleRelation.objects.select_related("target")),
        Prefetch("incoming_relations", queryset=ArticleRelation.objects.select_related("source")),
    )


def article_file_list() -> QuerySet[ArticleFile]:
    return ArticleFile.objects.select_related("article").order_by("created_at", "pk")


def article_relations(*, article: Article) -> list[dict]:
    """Explicit relations seen from `article`, both directions ("replaces" reads "replaced_by" backwards)."""
    relations = ArticleRelation.objects.filter(Q(source=article) | Q(target=article)).select_related("source", "target")
    out = []
    for relation in relations.order_by("created_at", "pk"):
        outgoing = relation.source_id == article.pk
        other = relation.target if outgoing else relation.source
        kind = relation.kind if outgoing or relation.kind != ArticleRelation.Kind.REPLACES else "replaced_by"
        out.append(
            {"id": relation.pk, "kind": kind, "direction": "outgoing" if outgoing else "incoming", "article": other}
        )
    return out


def search(
    *, workspace: Workspace, query: str, mode: str = "hybrid", filters: SearchFilters | None = None, k: int = 10
) -> list[SearchHit]:
    """Search the workspace's knowledge base: full-text, semantic or hybrid (RRF), only the hits
    relevant enough to be worth reading (knowledge/relevance.py): an off-topic query finds nothing."""
    model = workspace_embedding_model(workspace.pk)
    vector = None
    if mode in ("hybrid", "semantic"):
        vector = embed_with_ledger(workspace=workspace, model=model, texts=[query], query=True)[0]
    return engine.search_chunks(
        workspace_id=workspace.pk,
        query=query,
        mode=mode,
        filters=filters,
        k=k,
        provider_key=model.key,
        query_vector=vector,
        dimensions=model.dimensions,
        floors=floors_for(model.key),
    )


def article_related(*, article: Article, limit: int = 5) -> list[dict]:
    """Explicit relations first, then the nearest articles by meaning (published, not already listed)."""
    explicit = article_relations(article=article)
    model = workspace_embedding_model(article.workspace_id)
    seen = {article.pk, *(item["article"].pk for item in explicit)}
    nearest = engine.nearest_articles(
        workspace_id=article.workspace_id,
        article_id=article.pk,
        provider_key=model.key,
        dimensions=model.dimensions,
        limit=limit + len(seen),
        statuses=[Article.Status.PUBLISHED],
    )
    by_id = Article.objects.in_bulk([pk for pk, _ in nearest if pk not in seen])
    similar = [
        {"kind": "similar", "direction": None, "id": None, "article": by_id[pk], "score": round(1 - distance, 4)}
        for pk, distance in nearest
        if pk in by_id
    ][:limit]
    return [*({**item, "score": None} for item in explicit), *similar]


def retrieve(
    *, workspace: Workspace, query: str, category_ids: list[int] | None = None, k: int = 6, token_budget: int = 1500
) -> list[SearchHit]:
    """Hybrid search for the message processor: published passages in the given categories (and
    their descendants), best first, without duplicates or overlapping neighbours, within the budget."""
    hits = search(
        workspace=workspace,
        query=query,
        mode="hybrid",
        k=max(k * 3, 12),
        filters=SearchFilters(category_ids=category_ids, statuses=[Article.Status.PUBLISHED]),
    )
    chosen: list[SearchHit] = []
    seen_hashes: set[str] = set()
    spent = 0
    for hit in hits:
        if len(chosen) >= k:
            break
        if hit.content_hash in seen_hashes or any(_overlaps(hit, other) for other in chosen):
            continue
        if spent + hit.tokens > token_budget:
            continue
        seen_hashes.add(hit.content_hash)
        spent += hit.tokens
        chosen.append(hit)
    return chosen


def _overlaps(hit: SearchHit, other: SearchHit) -> bool:
    """Neighbouring chunks share their overlap; more than half shared counts as a duplicate."""
    if (hit.article_id, hit.file_id) != (other.article_id, other.file_id):
        return False
    shared = min(hit.char_end, other.char_end) - max(hit.char_start, other.char_start)
    return shared > 0.5 * min(hit.char_end - hit.char_start, other.char_end - other.char_start)


def text_language(text: str) -> str:
    """A cheap guess of a text's language (ru, en, es, pt; "" when unsure): what the trigger
    conditions test as message.language."""
    return detect_language(text)


def kb_storage_bytes(*, workspace) -> int:
    """What the plan's storage limit counts: the uploaded files' sizes and the articles' text, in
    bytes (two sums over stored sizes; no file or body is read)."""
    files = ArticleFile.objects.filter(workspace=workspace).aggregate(total=Sum("size"))["total"] or 0
    text = Article.objects.filter(workspace=workspace).aggregate(total=Sum("body_bytes"))["total"] or 0
    return files + text


def kb_storage_mb(*, workspace) -> int:
    """The knowledge base's storage (kb_storage_bytes) in whole megabytes rounded up."""
    return -(-kb_storage_bytes(workspace=workspace) // (1024 * 1024))


def knowledge_attention(*, workspace) -> list[AttentionItem]:
    """The dashboard's indexing failures: articles and files whose indexing failed (each shows its
    error and a retry on the Knowledge page)."""
    articles = Article.objects.filter(workspace=workspace, index_state=IndexState.FAILED).count()
    files = ArticleFile.objects.filter(workspace=workspace, index_state=IndexState.FAILED).count()
    return [AttentionItem("kb_index_failed", articles + files, AttentionSeverity.WARNING, "/knowledge")]
