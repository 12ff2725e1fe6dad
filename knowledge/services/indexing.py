"""The indexing pipeline: extract → chunk → embed → store, with a visible state per article/file.

State machine (per article text and per file): queued → extracting → embedding → ready | failed.
Each transition is a conditional UPDATE from the expected state, so a run whose item was re-queued
meanwhile (the article changed again) notices and stops; the newer run does the work. Unchanged
chunks (same content hash) keep their rows and vectors: only changed text is re-embedded.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from html import escape

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, Sum, TextField, Value
from django.db.models.functions import Length, Replace
from django.utils import timezone

from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import workspace_scope
from integrations.ai.services import embed_with_ledger
from integrations.ai.tokens import estimate_tokens
from knowledge.chunking import chunk_document
from knowledge.exceptions import EmbeddingProviderInvalid, ExtractionFailed, FileMissing, NotRetryable
from knowledge.extraction import Document, extract, extract_html
from knowledge.languages import detect_language, ts_config
from knowledge.models import (
    IN_FLIGHT_STATES,
    VECTOR_MODELS,
    Article,
    ArticleCategory,
    ArticleFile,
    Chunk,
    IndexState,
)
from knowledge.services.embedding import EMBED_BATCH, chunk_passage, vectors_store
from knowledge.vector_store import (
    embedding_model_for,
    embedding_models_to_fill,
    vector_table_for,
)

logger = logging.getLogger(__name__)
Item = Article | ArticleFile


# --- requesting work ----------------------------------------------------------------------------


def _event(item: Item) -> tuple[str, dict]:
    is_file = isinstance(item, ArticleFile)
    payload = {
        "id": item.pk,
        "article_id": item.article_id if is_file else item.pk,
        "state": item.index_state,
        "progress": item.index_progress,
        "error": item.index_error,
    }
    return ("kb_file.index_state" if is_file else "kb_article.index_state"), payload


def _publish(item: Item) -> None:
    event, payload = _event(item)
    realtime.publish(item.workspace_id, event, payload)


def _queue(item: Item) -> None:
    type(item).objects.filter(pk=item.pk).update(
        index_state=IndexState.QUEUED, index_progress=0, index_error="", index_state_changed_at=timezone.now()
    )
    item.index_state, item.index_progress, item.index_error = IndexState.QUEUED, 0, ""
    _publish(item)
    task = "article_file_index_task" if isinstance(item, ArticleFile) else "article_index_task"
    enqueue_on_commit(f"knowledge.tasks.{task}", item.workspace_id, item.pk)


def article_index_request(*, article: Article) -> None:
    """Queue an article's own text for (re-)indexing after the current transaction commits."""
    _queue(article)


def article_file_index_request(*, file: ArticleFile) -> None:
    _queue(file)


@transaction.atomic
def index_retry(*, item: Item) -> Item:
    """Re-run indexing of a failed (or ready) article text or file, from scratch."""
    if item.index_state not in (IndexState.FAILED, IndexState.READY):
        raise NotRetryable(state=item.index_state)
    type(item).objects.filter(pk=item.pk).update(extracted_hash="", index_attempts=0)
    _queue(item)
    item.refresh_from_db()
    return item


# --- running ------------------------------------------------------------------------------------


class _Superseded(Exception):
    """The item was re-queued or deleted while this run worked on it."""


def _transition(item: Item, expected: str, new: str, **fields) -> None:
    updated = (
        type(item)
        .objects.filter(pk=item.pk, index_state=expected)
        .update(index_state=new, index_state_changed_at=timezone.now(), **fields)
    )
    if not updated:
        raise _Superseded()
    item.index_state = new
    for name, value in fields.items():
        if not hasattr(value, "resolve_expression"):
            setattr(item, name, value)
    _publish(item)


def _claim(model: type[Item], pk: int) -> Item | None:
    claimed = model.objects.filter(pk=pk, index_state=IndexState.QUEUED).update(
        index_state=IndexState.EXTRACTING,
        index_state_changed_at=timezone.now(),
        index_attempts=F("index_attempts") + 1,
        index_progress=0,
    )
    if not claimed:
        return None
    item = model.objects.get(pk=pk)
    _publish(item)
    return item


def article_document(article: Article) -> Document:
    return extract_html(f"<h1>{escape(article.title)}</h1>{article.body}")


def article_language_guess(article: Article) -> str:
    """The article's language before it is indexed: the chosen one, else detected from its text."""
    return article.language or detect_language(article_document(article).text, default="")


def _article_language_refresh(article: Article) -> None:
    """Once indexed, an article is in the language most of its passages (text and files) are in;
    with no passage in a known language, it keeps what its text on save suggested."""
    majority = (
        Chunk.objects.filter(article=article)
        .exclude(language="")
        .values("language")
        .annotate(size=Sum(Length("text")))
        .order_by("-size", "language")
        .values_list("language", flat=True)
        .first()
    )
    language = article.language or majority
    if language:
        Article.objects.filter(pk=article.pk).exclude(detected_language=language).update(detected_language=language)


def _file_document(file: ArticleFile) -> Document:
    try:
        with default_storage.open(file.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise FileMissing("The stored file is missing.") from None
    return extract(data, filename=file.name, content_type=file.content_type)


def article_index_run(*, article_id: int) -> None:
    """Index an article's own text (the task body)."""
    article = _claim(Article, article_id)
    if article is not None:
        _run(article, lambda: article_document(article))


def article_file_index_run(*, file_id: int) -> None:
    """Index one attached file (the task body)."""
    file = _claim(ArticleFile, file_id)
    if file is not None:
        _run(file, lambda: _file_document(file))


def _run(item: Item, load: Callable[[], Document]) -> None:
    try:
        document = load()
        _index(item, document)
    except _Superseded:
        logger.info("indexing superseded", extra={"model": type(item).__name__, "id": item.pk})
    except (ExtractionFailed, FileMissing, EmbeddingProviderInvalid) as exc:
        _fail(item, exc.detail)
    except Exception as exc:
        logger.exception("indexing failed", extra={"model": type(item).__name__, "id": item.pk})
        _fail(item, f"Internal error while indexing ({exc.__class__.__name__}). Retry, or contact support.")


def _fail(item: Item, reason: str) -> None:
    updated = (
        type(item)
        .objects.filter(pk=item.pk, index_state__in=IN_FLIGHT_STATES)
        .update(index_state=IndexState.FAILED, index_error=reason[:2000], index_state_changed_at=timezone.now())
    )
    if updated:
        item.index_state, item.index_error = IndexState.FAILED, reason[:2000]
        _publish(item)


def _article_of(item: Item) -> Article:
    return item.article if isinstance(item, ArticleFile) else item


def _index(item: Item, document: Document) -> None:
    article = _article_of(item)
    text_hash = hashlib.sha256(document.text.encode()).hexdigest()
    source_file = item if isinstance(item, ArticleFile) else None
    spans = chunk_document(document)
    default_language = article.language or detect_language(document.text, default="")
    with transaction.atomic():
        # The article row lock serializes concurrent runs over the same article's chunks.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        _transition(item, IndexState.EXTRACTING, IndexState.EMBEDDING, index_progress=0)
        existing = {c.content_hash: c for c in Chunk.objects.filter(article=article, file=source_file)}
        categories = sorted(ArticleCategory.objects.filter(article=article).values_list("category_id", flat=True))
        keep, create = [], []
        for ordinal, span in enumerate(spans):
            language = article.language or detect_language(span.text, default=default_language)
            config = ts_config(language)
            digest = span.content_hash(config)
            row = existing.pop(digest, None)
            if row is None:
                row = Chunk(
                    workspace_id=article.workspace_id,
                    article=article,
                    file=source_file,
                    content_hash=digest,
                    text=span.text,
                    heading=span.heading,
                    language=language,
                    ts_config=config,
                    tokens=estimate_tokens(span.text),
                )
                create.append(row)
            else:
                keep.append(row)
            row.ordinal, row.char_start, row.char_end, row.page = ordinal, span.start, span.end, span.page
            row.status, row.tags, row.category_ids = article.status, article.tags, categories
        Chunk.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
        Chunk.objects.bulk_update(keep, ["ordinal", "char_start", "char_end", "page", "status", "tags", "category_ids"])
        Chunk.objects.bulk_create(create)
        if create:
            Chunk.objects.filter(pk__in=[c.pk for c in create]).update(
                tsv=SearchVector(_parser_safe("heading"), weight="A", config=F("ts_config"))
                + SearchVector(_parser_safe("text"), weight="B", config=F("ts_config"))
            )
        type(item).objects.filter(pk=item.pk).update(extracted_text=document.text, extracted_hash=text_hash)
        _article_language_refresh(article)
    _embed_missing(item, article, source_file)
    _transition(item, IndexState.EMBEDDING, IndexState.READY, index_progress=100, indexed_at=timezone.now())


def _parser_safe(column: str) -> Replace:
    """PostgreSQL's text-search parser reads `<…>` as markup and skips what follows `<script>`
    or `<style>`; passages are plain text, so angle brackets become look-alike quotes first.
    search.py applies the same substitution to ts_headline's input."""
    text = TextField()
    inner = Replace(F(column), Value("<"), Value("‹"), output_field=text)
    return Replace(inner, Value(">"), Value("›"), output_field=text)


def _embed_missing(item: Item, article: Article, source_file: ArticleFile | None) -> None:
    """Embed this source's chunks that lack a vector from each embedding model in use."""
    work = []
    for key in embedding_models_to_fill(article.workspace_id):
        model = embedding_model_for(key)
        vectors = vector_table_for(model)
        done = vectors.objects.filter(article=article, provider=key).values("chunk_id")
        missing = list(Chunk.objects.filter(article=article, file=source_file).exclude(pk__in=done).order_by("ordinal"))
        work.append((model, vectors, missing))
    total = sum(len(missing) for _, _, missing in work) or 1
    done_count = 0
    for model, vectors, missing in work:
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            embeddings = embed_with_ledger(
                workspace=item.workspace, model=model, texts=[chunk_passage(chunk) for chunk in batch]
            )
            vectors_store(vectors, model.key, batch, embeddings)
            done_count += len(batch)
            _transition(item, IndexState.EMBEDDING, IndexState.EMBEDDING, index_progress=int(99 * done_count / total))


def articles_filters_sync(*, article_ids: Iterable[int]) -> None:
    """Copy articles' status, tags and categories onto their chunks and vectors (search filters)."""
    for article in Article.objects.filter(pk__in=list(article_ids)):
        categories = sorted(ArticleCategory.objects.filter(article=article).values_list("category_id", flat=True))
        values = {"status": article.status, "tags": article.tags, "category_ids": categories}
        Chunk.objects.filter(article=article).update(**values)
        for vectors in VECTOR_MODELS.values():
            vectors.objects.filter(article=article).update(**values)


# --- sweeping and re-embedding -----------------------------------------------------------------


def index_sweep_stuck(*, workspace_id: int) -> dict[str, int]:
    """Re-queue items idle in a non-final state for too long; fail them after the last attempt."""
    cutoff = timezone.now() - timedelta(minutes=settings.KNOWLEDGE_INDEX_STUCK_MINUTES)
    counts = {"requeued": 0, "failed": 0}
    with workspace_scope(workspace_id):
        for model in (Article, ArticleFile):
            for item in model.objects.filter(index_state__in=IN_FLIGHT_STATES, index_state_changed_at__lt=cutoff):
                if item.index_attempts >= settings.KNOWLEDGE_INDEX_MAX_ATTEMPTS:
                    _fail(item, f"Indexing did not finish after {item.index_attempts} attempts.")
                    counts["failed"] += 1
                else:
                    with transaction.atomic():
                        _queue(item)
                    counts["requeued"] += 1
    return counts


def stuck_workspace_ids() -> list[int]:
    """Workspaces with items idle in a non-final state (ops code: reads across workspaces)."""
    cutoff = timezone.now() - timedelta(minutes=settings.KNOWLEDGE_INDEX_STUCK_MINUTES)
    stuck = Q(index_state__in=IN_FLIGHT_STATES, index_state_changed_at__lt=cutoff)
    ids = set(Article.objects.unscoped_across_workspaces().filter(stuck).values_list("workspace_id", flat=True))
    ids |= set(ArticleFile.objects.unscoped_across_workspaces().filter(stuck).values_list("workspace_id", flat=True))
    return sorted(ids)
