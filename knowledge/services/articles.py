from __future__ import annotations

from collections.abc import Iterable

import nh3
from django.db import IntegrityError, transaction

from accounts.models import User, Workspace
from accounts.services import audit_record
from billing.services import plan_usage_changed, storage_quota_check
from knowledge.exceptions import ArticleRelationExists, ArticleRelationInvalid
from knowledge.models import Article, ArticleCategory, ArticleRelation, Category
from knowledge.selectors import kb_storage_bytes
from knowledge.services.files import delete_stored_files_on_commit
from knowledge.services.indexing import article_index_request, article_language_guess, articles_filters_sync

_TEXT_FIELDS = {"title", "body", "language"}
_FILTER_FIELDS = {"status", "tags"}
_ALLOWED_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "span", "div"),
    *("ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "caption"),
    *("a", "img", "figure", "figcaption"),
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize_html(html: str) -> str:
    """Rich text as it may be stored and shown: no scripts, handlers, styles or javascript: URLs."""
    return nh3.clean(
        html or "",
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def _normalize_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        tag = tag.strip().lower()[:50]
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _set_categories(article: Article, categories: Iterable[Category]) -> None:
    wanted = {category.pk for category in categories}
    ArticleCategory.objects.filter(article=article).exclude(category_id__in=wanted).delete()
    have = set(ArticleCategory.objects.filter(article=article).values_list("category_id", flat=True))
    ArticleCategory.objects.bulk_create(
        [ArticleCategory(workspace_id=article.workspace_id, article=article, category_id=pk) for pk in wanted - have]
    )


def _storage_checked(workspace: Workspace, body: str, *, before: int) -> int:
    """The body's size, once the plan's storage has room for what it adds (QuotaLimitReached if not)."""
    size = len(body.encode())
    storage_quota_check(
        workspace=workspace, adding_bytes=size - before, used_bytes=lambda: kb_storage_bytes(workspace=workspace)
    )
    return size


@transaction.atomic
def article_create(
    *,
    workspace: Workspace,
    actor: User | None,
    title: str,
    body: str = "",
    status: str = Article.Status.DRAFT,
    language: str = "",
    tags: Iterable[str] = (),
    categories: Iterable[Category] = (),
    source: str = Article.Source.MANUAL,
    source_url: str = "",
    url_resync: bool = False,
) -> Article:
    """Create an article (body sanitized) and queue it for indexing."""
    body = sanitize_html(body)
    body_bytes = _storage_checked(workspace, body, before=0)
    article = Article.objects.create(
        workspace=workspace,
        title=title,
        body=body,
        body_bytes=body_bytes,
        status=status,
        language=language,
        tags=_normalize_tags(tags),
        source=source,
        source_url=source_url,
        url_resync=url_resync,
        created_by=actor,
    )
    article.detected_language = article_language_guess(article)
    article.save(update_fields=["detected_language"])
    _set_categories(article, categories)
    article_index_request(article=article)
    audit_record(workspace=workspace, actor=actor, action="kb_article.created", target=article)
    return article


@transaction.atomic
def article_update(
    *, article: Article, actor: User | None, categories: Iterable[Category] | None = None, **fields
) -> Article:
    """Change an article. Text changes re-index it (only changed chunks are re-embedded); status,
    tag and category changes update the search filters of its chunks in place."""
    if "body" in fields:
        fields["body"] = sanitize_html(fields["body"])
    if "tags" in fields:
        fields["tags"] = _normalize_tags(fields["tags"])
    changed = {name for name, value in fields.items() if getattr(article, name) != value}
    for name in changed:
        setattr(article, name, fields[name])
    columns = list(changed)
    if "body" in changed:
        article.body_bytes = _storage_checked(article.workspace, article.body, before=article.body_bytes)
        columns.append("body_bytes")
    if changed & _TEXT_FIELDS and (guess := article_language_guess(article)):
        # Re-indexing settles it from every passage; until then the text's own guess is shown.
        article.detected_language = guess
        columns.append("detected_language")
    if changed:
        # Only the changed columns: the index state columns belong to the pipeline, and a stale
        # in-memory copy must never overwrite them.
        article.save(update_fields=[*columns, "updated_at"])
    if categories is not None:
        before = set(article.category_links.values_list("category_id", flat=True))
        _set_categories(article, categories)
        if before != {category.pk for category in categories}:
            changed.add("categories")
    if changed & _TEXT_FIELDS:
        article_index_request(article=article)
    if changed & (_FILTER_FIELDS | {"language", "categories"}):
        articles_filters_sync(article_ids=[article.pk])
    if changed:
        audit_record(
            workspace=article.workspace,
            actor=actor,
            action="kb_article.updated",
            target=article,
            metadata={"fields": sorted(changed)},
        )
    return article


@transaction.atomic
def article_delete(*, article: Article, actor: User | None) -> None:
    """Delete an article with its files (storage objects removed after commit), chunks and vectors."""
    delete_stored_files_on_commit([f.file.name for f in article.files.all()])
    audit_record(workspace=article.workspace, actor=actor, action="kb_article.deleted", target=article)
    article.delete()
    plan_usage_changed(article.workspace_id)  # the plan's storage shows the room it freed


def article_relation_add(
    *, source: Article, target: Article, kind: str = ArticleRelation.Kind.RELATED
) -> ArticleRelation:
    """Relate two articles of the same workspace; both see the relation."""
    if source.pk == target.pk:
        raise ArticleRelationInvalid("An article cannot be related to itself.")
    if source.workspace_id != target.workspace_id:  # pragma: no cover - scoped fields prevent it
        raise ArticleRelationInvalid("Articles belong to different workspaces.")
    try:
        with transaction.atomic():
            return ArticleRelation.objects.create(
                workspace_id=source.workspace_id, source=source, target=target, kind=kind
            )
    except IntegrityError:
        raise ArticleRelationExists() from None


def article_relation_remove(*, relation: ArticleRelation) -> None:
    relation.delete()
